use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, fields, named, read};
use crate::common::{email, TestNode, PASSWORD};

#[tokio::test]
async fn me_needs_a_bearer_token() {
    let node = TestNode::spawn().await;
    let response = node.get("/accounts/me", None).await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    read(response, StatusCode::UNAUTHORIZED, "GET /accounts/me without a token").await;
    answer!(node.get("/accounts/me", Some("not.a.token")), UNAUTHORIZED);
}

#[tokio::test]
async fn me_reads_and_updates_the_profile() {
    let node = TestNode::spawn().await;
    let user = node.register("hal").await;
    let token = node.login("hal").await;
    let me = node.get_json("/accounts/me", Some(&token)).await;
    assert_eq!(me["id"], user["id"]);

    let changes = json!({"name": "Hal 9000", "department": "Ops", "timezone": "UTC", "birthday": "1992-01-12", "workLocation": "Urbana"});
    let response = node.patch("/accounts/me", &changes, Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"], "Hal 9000");
    assert_eq!(updated["department"], "Ops");
    assert_eq!(updated["birthday"], "1992-01-12");
    assert_eq!(updated["workLocation"], "Urbana");
    assert_eq!(updated["email"], "hal@example.com");

    // null clears an optional field; absent fields stay.
    let cleared: Value =
        node.patch("/accounts/me", &json!({"department": null}), Some(&token)).await.json().await.unwrap();
    assert_eq!(cleared["department"], Value::Null);
    assert_eq!(cleared["name"], "Hal 9000");
}

#[tokio::test]
async fn invalid_profile_changes_are_422_and_change_nothing() {
    let node = TestNode::spawn().await;
    node.register("ivy").await;
    let token = node.login("ivy").await;
    let cases = [
        (json!({"name": null}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"workLocation": "x".repeat(1000)}), "workLocation"),
        (json!({"birthday": "yesterday"}), "birthday"),
        (json!({"name": 7}), "name"),
        (json!({"newPassword": "Gr4nite-Owl-Sky"}), "currentPassword"),
        (json!({"newPassword": "weak", "currentPassword": PASSWORD}), "newPassword"),
        (json!({"newPassword": "Gr4nite-Owl-Sky", "currentPassword": "Wrong1234"}), "currentPassword"),
    ];
    for (body, field) in cases {
        let answer = answer!(node.patch("/accounts/me", &body, Some(&token)), UNPROCESSABLE_ENTITY);
        assert!(fields(&answer).contains(&field.to_string()), "{field} not named in {answer}");
    }
    let me = node.get_json("/accounts/me", Some(&token)).await;
    assert_eq!(me["name"], "User ivy");
    node.login("ivy").await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_ends_other_sessions_and_renews_this_one() {
    let node = TestNode::spawn().await;
    node.register("jon").await;
    let token = node.login("jon").await;
    let elsewhere = node.login("jon").await;
    assert_eq!(node.get("/accounts/me", Some(&elsewhere)).await.status(), StatusCode::OK);

    let wrong = json!({"currentPassword": "Wrong1234", "newPassword": "Tidal-Lantern-77"});
    named(&answer!(node.patch("/accounts/me", &wrong, Some(&token)), UNPROCESSABLE_ENTITY), "currentPassword");
    let change = json!({"currentPassword": PASSWORD, "newPassword": "Tidal-Lantern-77"});
    let changed = answer!(node.patch("/accounts/me", &change, Some(&token)), OK);

    // Tokens issued before the change die, this session's and the other one's alike; the answer
    // carries new tokens for this session, which live.
    answer!(node.get("/accounts/me", Some(&token)), UNAUTHORIZED);
    answer!(node.get("/accounts/me", Some(&elsewhere)), UNAUTHORIZED);
    let renewed = changed["accessToken"].as_str().expect("new access token");
    assert_eq!(answer!(node.get("/accounts/me", Some(renewed)), OK)["email"], email("jon"));
    let refreshed =
        answer!(node.post("/accounts/refresh", &json!({"refreshToken": changed["refreshToken"]}), None), OK);
    assert!(refreshed["accessToken"].is_string());
    let old_password = json!({"email": email("jon"), "password": PASSWORD});
    answer!(node.post("/accounts/login", &old_password, None), UNAUTHORIZED);
    let new_password = json!({"email": email("jon"), "password": "Tidal-Lantern-77"});
    answer!(node.post("/accounts/login", &new_password, None), OK);
}
