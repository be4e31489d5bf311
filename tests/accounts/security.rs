use reqwest::StatusCode;
use serde_json::json;

use crate::common::answers::answer;
use crate::common::{mint_with, TestNode};

#[tokio::test]
async fn expired_foreign_and_orphaned_tokens_are_refused() {
    let node = TestNode::spawn().await;
    let admin = node.admin("sec").await;
    let user = node.register("tom").await;
    let id = user["id"].as_str().unwrap();
    let now = chrono::Utc::now().timestamp();
    let token = node.login("tom").await;
    assert_eq!(node.get("/accounts/me", Some(&token)).await.status(), StatusCode::OK);

    // The same claims (a live session, the current credential version), expired or signed elsewhere.
    let expired = node.mint(&token, now - 7200, now - 3600);
    answer!(node.get("/accounts/me", Some(&expired)), UNAUTHORIZED);
    let foreign = mint_with("another-secret-that-is-long-enough-0123456789", &node.claims(&token));
    answer!(node.get("/accounts/me", Some(&foreign)), UNAUTHORIZED);

    let path = format!("/accounts/users/{id}");
    assert_eq!(node.delete(&path, Some(&admin)).await.status(), StatusCode::NO_CONTENT);
    answer!(node.get("/accounts/me", Some(&token)), UNAUTHORIZED);
    answer!(node.post("/accounts/validate", &json!({"token": token}), None), UNAUTHORIZED);
    answer!(node.patch("/accounts/me", &json!({"name": "ghost"}), Some(&token)), UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_with_the_none_algorithm_is_refused() {
    let node = TestNode::spawn().await;
    node.register("una").await;
    let engine = |bytes: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    let header = engine(br#"{"alg":"none","typ":"JWT"}"#);
    // The claims of a real, live session: only the algorithm is wrong.
    let token = node.login("una").await;
    let claims = engine(serde_json::to_string(&node.claims(&token)).unwrap().as_bytes());
    let forged = format!("{header}.{claims}.");
    answer!(node.get("/accounts/me", Some(&forged)), UNAUTHORIZED);
}

#[tokio::test]
async fn no_answer_ever_contains_a_password_hash() {
    let node = TestNode::spawn().await;
    let admin = node.admin("vic").await;
    let user = node.register("wes").await;
    let token = node.login("wes").await;
    let path = format!("/accounts/users/{}", user["id"].as_str().unwrap());
    let answers = vec![
        node.get("/accounts/me", Some(&token)).await,
        node.patch("/accounts/me", &json!({"name": "Wes"}), Some(&token)).await,
        node.post("/accounts/validate", &json!({"token": token}), None).await,
        node.get("/accounts/users?limit=100", Some(&admin)).await,
        node.get(&path, Some(&admin)).await,
        node.patch(&path, &json!({"department": "QA"}), Some(&admin)).await,
        node.post("/accounts/login", &json!({"email": "wes@example.com", "password": "Quiet-Harbor-42"}), None).await,
    ];
    for answer in answers {
        let text = answer.text().await.unwrap();
        assert!(
            !text.contains("$argon2") && !text.contains("password_hash") && !text.contains("passwordHash"),
            "{text}"
        );
    }
}
