//! Sessions: a login opens one with a short-lived access token and a rotating refresh token;
//! refresh, logout, the session list and ending one session.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, named};
use crate::common::{email, TestNode, PASSWORD};

/// Signs `tag` in; answers the whole login answer.
async fn sign_in(node: &TestNode, tag: &str) -> Value {
    answer!(node.post("/accounts/login", &json!({"email": email(tag), "password": PASSWORD}), None), OK)
}

/// Exchanges a refresh token, expecting `status`.
async fn refresh(node: &TestNode, login: &Value, status: StatusCode) -> Value {
    let body = json!({"refreshToken": login["refreshToken"]});
    crate::common::answers::read(node.post("/accounts/refresh", &body, None).await, status, "refresh").await
}

/// The status `GET /accounts/me` answers with the access token of `login`.
async fn me(node: &TestNode, login: &Value) -> StatusCode {
    node.get("/accounts/me", login["accessToken"].as_str()).await.status()
}

#[tokio::test]
async fn a_login_answers_a_short_lived_access_token_and_a_refresh_token() {
    let node = TestNode::spawn().await;
    node.register("sofia").await;
    let login = sign_in(&node, "sofia").await;
    assert_eq!(login["expiresIn"], 900, "jwt.ttl defaults to 15 minutes");
    assert_eq!(login["refreshToken"].as_str().map(str::len), Some(43), "256 bits, base64url: {login}");
    assert_eq!(login["user"]["email"], email("sofia"));
    let claims = node.claims(login["accessToken"].as_str().unwrap());
    assert_eq!(claims.exp - claims.iat, 900);
    let refresh_token = login["refreshToken"].as_str().unwrap();
    let stored = format!(
        "SELECT count(*) AS count FROM accounts.refresh_tokens WHERE session_id = '{}' AND hash = sha256('{refresh_token}'::bytea)",
        claims.sid
    );
    assert_eq!(node.count(&stored).await, 1, "only the token's SHA-256 is stored");
}

#[tokio::test]
async fn a_refresh_rotates_both_tokens_of_the_same_session() {
    let node = TestNode::spawn().await;
    node.register("rui").await;
    let login = sign_in(&node, "rui").await;
    let renewed = refresh(&node, &login, StatusCode::OK).await;
    assert_ne!(renewed["refreshToken"], login["refreshToken"]);
    assert_eq!(renewed["expiresIn"], 900);
    assert_eq!(me(&node, &renewed).await, StatusCode::OK);
    let (before, after) =
        (node.claims(login["accessToken"].as_str().unwrap()), node.claims(renewed["accessToken"].as_str().unwrap()));
    assert_eq!(before.sid, after.sid, "the same session");
    assert_eq!(
        refresh(&node, &renewed, StatusCode::OK).await["expiresIn"],
        900,
        "the new refresh token works once too"
    );
}

#[tokio::test]
async fn a_reused_refresh_token_ends_its_whole_session() {
    let node = TestNode::spawn().await;
    node.register("theo").await;
    let login = sign_in(&node, "theo").await;
    let renewed = refresh(&node, &login, StatusCode::OK).await;
    // The first token comes back (stolen, or replayed): theft. Every token of the session dies.
    refresh(&node, &login, StatusCode::UNAUTHORIZED).await;
    refresh(&node, &renewed, StatusCode::UNAUTHORIZED).await;
    assert_eq!(me(&node, &renewed).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&node, &login).await, StatusCode::UNAUTHORIZED);
    // Another session of the user is not touched.
    let other = sign_in(&node, "theo").await;
    assert_eq!(me(&node, &other).await, StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_without_a_valid_token_is_refused_and_changes_nothing() {
    let node = TestNode::spawn().await;
    node.register("uma").await;
    let login = sign_in(&node, "uma").await;
    named(&answer!(node.post("/accounts/refresh", &json!({}), None), UNPROCESSABLE_ENTITY), "refreshToken");
    for forged in ["", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not a token at all, but long enough to be"]
    {
        let status = if forged.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::UNAUTHORIZED };
        let answered = node.post("/accounts/refresh", &json!({"refreshToken": forged}), None).await;
        assert_eq!(answered.status(), status, "{forged:?}");
    }
    // An access token is not a refresh token (and longer than any).
    let access = json!({"refreshToken": login["accessToken"]});
    named(&answer!(node.post("/accounts/refresh", &access, None), UNPROCESSABLE_ENTITY), "refreshToken");
    assert_eq!(refresh(&node, &login, StatusCode::OK).await["expiresIn"], 900, "the real token still works");
}

#[tokio::test]
async fn logout_ends_only_the_callers_session() {
    let node = TestNode::spawn().await;
    node.register("vera").await;
    let (phone, laptop) = (sign_in(&node, "vera").await, sign_in(&node, "vera").await);
    let token = phone["accessToken"].as_str().unwrap();
    answer!(node.send(reqwest::Method::POST, "/accounts/logout", None, Some(token)), NO_CONTENT);
    assert_eq!(me(&node, &phone).await, StatusCode::UNAUTHORIZED);
    refresh(&node, &phone, StatusCode::UNAUTHORIZED).await;
    answer!(node.send(reqwest::Method::POST, "/accounts/logout", None, Some(token)), UNAUTHORIZED);
    assert_eq!(me(&node, &laptop).await, StatusCode::OK);
}

#[tokio::test]
async fn the_session_list_shows_the_callers_live_sessions_and_ends_one() {
    let node = TestNode::spawn().await;
    node.register("wanda").await;
    node.register("xavi").await;
    let (first, second) = (sign_in(&node, "wanda").await, sign_in(&node, "wanda").await);
    let stranger = sign_in(&node, "xavi").await;
    let token = second["accessToken"].as_str();
    let listed = answer!(node.get("/accounts/sessions", token), OK);
    let sessions = listed.as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{listed}");
    let current: Vec<bool> = sessions.iter().map(|s| s["current"].as_bool().unwrap()).collect();
    assert_eq!(current.iter().filter(|c| **c).count(), 1, "{listed}");
    for field in ["id", "createdAt", "lastUsedAt", "expiresAt", "userAgent", "address"] {
        assert!(sessions[0].get(field).is_some(), "{field} in {listed}");
    }
    assert!(sessions[0].get("userId").is_none());
    let first_id = node.claims(first["accessToken"].as_str().unwrap()).sid;
    let stranger_id = node.claims(stranger["accessToken"].as_str().unwrap()).sid;
    answer!(node.delete(&format!("/accounts/sessions/{stranger_id}"), token), NOT_FOUND);
    assert_eq!(me(&node, &stranger).await, StatusCode::OK, "another user's session is not touched");
    answer!(node.delete(&format!("/accounts/sessions/{first_id}"), token), NO_CONTENT);
    assert_eq!(me(&node, &first).await, StatusCode::UNAUTHORIZED);
    answer!(node.delete(&format!("/accounts/sessions/{first_id}"), token), NOT_FOUND);
    assert_eq!(answer!(node.get("/accounts/sessions", token), OK).as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_simultaneous_refreshes_of_one_token_end_the_session() {
    let node = TestNode::spawn().await;
    node.register("yara").await;
    let login = sign_in(&node, "yara").await;
    let body = json!({"refreshToken": login["refreshToken"]});
    let (one, two) =
        tokio::join!(node.post("/accounts/refresh", &body, None), node.post("/accounts/refresh", &body, None));
    let mut statuses = [one.status(), two.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::UNAUTHORIZED], "one exchange wins, the other is a reuse");
    let winner = if one.status() == StatusCode::OK { one } else { two };
    let renewed: Value = winner.json().await.unwrap();
    refresh(&node, &renewed, StatusCode::UNAUTHORIZED).await;
    assert_eq!(me(&node, &renewed).await, StatusCode::UNAUTHORIZED, "the reuse ended the session");
}
