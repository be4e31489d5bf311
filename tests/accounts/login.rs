use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, fields, read};
use crate::common::{email, TestNode, PASSWORD};

#[tokio::test]
async fn login_answers_a_token_and_the_user_summary() {
    let node = TestNode::spawn().await;
    let user = node.register("ann").await;
    let response = node.post("/accounts/login", &json!({"email": "ANN@example.com", "password": PASSWORD}), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(body["accessToken"].as_str().unwrap().split('.').count() == 3);
    assert_eq!(
        body["user"],
        json!({"id": user["id"], "email": "ann@example.com", "name": "User ann", "workId": "W-ann", "workLocation": "Lisbon"})
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_401() {
    let node = TestNode::spawn().await;
    node.register("ben").await;
    let wrong = answer!(
        node.post("/accounts/login", &json!({"email": email("ben"), "password": "Wrong1234"}), None),
        UNAUTHORIZED
    );
    let unknown = answer!(
        node.post("/accounts/login", &json!({"email": email("nobody"), "password": PASSWORD}), None),
        UNAUTHORIZED
    );
    assert_eq!(wrong, unknown);
    let missing = answer!(node.post("/accounts/login", &json!({"email": email("ben")}), None), UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&missing), ["password"]);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_email_with_retry_after() {
    let node = TestNode::spawn_with(|c| c.login.max_failures_per_email = 3).await;
    node.register("cat").await;
    let bad = json!({"email": email("cat"), "password": "Wrong1234"});
    for _ in 0..3 {
        assert_eq!(node.post("/accounts/login", &bad, None).await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = node.post("/accounts/login", &bad, None).await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    read(response, StatusCode::TOO_MANY_REQUESTS, "the login over the limit").await;
    // Even the right password waits now, and other emails are not affected.
    let right = json!({"email": email("cat"), "password": PASSWORD});
    assert_eq!(node.post("/accounts/login", &right, None).await.status(), StatusCode::TOO_MANY_REQUESTS);
    node.register("dan").await;
    node.login("dan").await;
}

#[tokio::test]
async fn failed_logins_are_throttled_per_client_address() {
    let node = TestNode::spawn_with(|c| c.login.max_failures_per_address = 4).await;
    node.register("eli").await;
    for i in 0..4 {
        let body = json!({"email": email(&format!("ghost{i}")), "password": "Wrong1234"});
        assert_eq!(node.post("/accounts/login", &body, None).await.status(), StatusCode::UNAUTHORIZED);
    }
    let body = json!({"email": email("ghost9"), "password": "Wrong1234"});
    answer!(node.post("/accounts/login", &body, None), TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn successful_logins_are_not_throttled() {
    let node = TestNode::spawn_with(|c| {
        c.login.max_failures_per_email = 2;
        c.login.max_failures_per_address = 2;
    })
    .await;
    node.register("fay").await;
    for _ in 0..10 {
        node.login("fay").await;
    }
}

#[tokio::test]
async fn validate_accepts_a_token_in_the_body_or_the_header() {
    let node = TestNode::spawn().await;
    let user = node.register("gus").await;
    let token = node.login("gus").await;

    let in_body = node.post("/accounts/validate", &json!({"token": token}), None).await;
    assert_eq!(in_body.status(), StatusCode::OK);
    assert_eq!(in_body.json::<Value>().await.unwrap()["id"], user["id"]);

    let in_header = node.http.post(node.url("/accounts/validate")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(in_header.status(), StatusCode::OK);
    assert_eq!(in_header.json::<Value>().await.unwrap()["id"], user["id"]);

    answer!(node.post("/accounts/validate", &json!({"token": "garbage"}), None), UNAUTHORIZED);
    let no_body = node.http.post(node.url("/accounts/validate")).send().await.unwrap();
    read(no_body, StatusCode::UNAUTHORIZED, "POST /accounts/validate without a body").await;
    answer!(node.post("/accounts/validate", &json!({"token": 12}), None), UNPROCESSABLE_ENTITY);
    let lower_case_scheme = node
        .http
        .post(node.url("/accounts/validate"))
        .header("authorization", format!("bearer {token}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(lower_case_scheme.status(), StatusCode::OK, "an empty body falls back to the header");
}

#[tokio::test]
async fn concurrent_failed_logins_cannot_slip_under_the_limit() {
    let node = TestNode::spawn_with(|c| c.login.max_failures_per_email = 3).await;
    node.register("rush").await;
    let attempts = (0..12).map(|_| {
        let request =
            node.http.post(node.url("/accounts/login")).json(&json!({"email": email("rush"), "password": "Wrong1234"}));
        async move { request.send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!(checked, 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 9);
}

#[tokio::test]
async fn a_legacy_bcrypt_password_signs_in_once_and_is_rehashed_to_argon2id() {
    let node = TestNode::spawn().await;
    let user = node.register("legacy").await;
    // The old system's hash of another password, as a migration would have copied it.
    let old = bcrypt::hash("Legacy-Pass-2019", 4).unwrap();
    node.sql(&format!(
        "UPDATE accounts.users SET password_hash = '{old}' WHERE id = '{}'",
        user["id"].as_str().unwrap()
    ))
    .await;
    let wrong = json!({"email": email("legacy"), "password": PASSWORD});
    answer!(node.post("/accounts/login", &wrong, None), UNAUTHORIZED);
    let legacy = json!({"email": email("legacy"), "password": "Legacy-Pass-2019"});
    answer!(node.post("/accounts/login", &legacy, None), OK);
    let stored = format!(
        "SELECT count(*) AS count FROM accounts.users WHERE id = '{}' AND password_hash LIKE '$argon2id$%'",
        user["id"].as_str().unwrap()
    );
    assert_eq!(node.count(&stored).await, 1, "rehashed to argon2id on the first login");
    answer!(node.post("/accounts/login", &legacy, None), OK);
}
