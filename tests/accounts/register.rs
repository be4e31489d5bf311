use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, fields, read};
use crate::common::{registration, TestNode};

#[tokio::test]
async fn register_answers_the_user_without_the_hash() {
    let node = TestNode::spawn().await;
    let mut body = registration("ada");
    body["email"] = json!("  Ada@Example.COM ");
    body["timezone"] = json!("Europe/Lisbon");
    body["department"] = json!("Research");
    body["deptManager"] = json!("Charles");
    body["birthday"] = json!("1815-12-10");
    let response = node.post("/accounts/register", &body, None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let text = response.text().await.unwrap();
    assert!(!text.contains("argon2") && !text.to_lowercase().contains("password"), "{text}");
    let user: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["workId"], "W-ada");
    assert_eq!(user["name"], "User ada");
    assert_eq!(user["workLocation"], "Lisbon");
    assert_eq!(user["timezone"], "Europe/Lisbon");
    assert_eq!(user["department"], "Research");
    assert_eq!(user["deptManager"], "Charles");
    assert_eq!(user["birthday"], "1815-12-10");
    for key in ["id", "dateJoined", "updatedAt"] {
        assert!(user[key].is_string(), "{key} in {user}");
    }
    assert_eq!(node.user_count().await, 1);
}

#[tokio::test]
async fn taken_email_or_work_id_is_409_naming_the_field() {
    let node = TestNode::spawn().await;
    node.register("bob").await;

    let mut same_email = registration("other");
    same_email["email"] = json!("BOB@example.com");
    let body = answer!(node.post("/accounts/register", &same_email, None), CONFLICT);
    assert_eq!(fields(&body), ["email"]);

    let mut same_work_id = registration("other");
    same_work_id["workId"] = json!("W-bob");
    let body = answer!(node.post("/accounts/register", &same_work_id, None), CONFLICT);
    assert_eq!(fields(&body), ["workId"]);
    assert_eq!(node.user_count().await, 1);
}

fn with(field: &str, value: Value) -> Value {
    let mut body = registration("carol");
    body[field] = value;
    body
}

fn without(field: &str) -> Value {
    let mut body = registration("carol");
    body.as_object_mut().unwrap().remove(field);
    body
}

#[tokio::test]
async fn invalid_fields_are_422_naming_each_field_and_write_nothing() {
    let node = TestNode::spawn().await;
    let huge = "x".repeat(5000);
    let cases: Vec<(Value, &str)> = vec![
        (without("email"), "email"),
        (without("workId"), "workId"),
        (without("name"), "name"),
        (without("workLocation"), "workLocation"),
        (without("password"), "password"),
        (with("email", json!("not-an-email")), "email"),
        (with("email", json!("a@b@c")), "email"),
        (with("email", json!("")), "email"),
        (with("name", json!("   ")), "name"),
        (with("name", json!(huge)), "name"),
        (with("workId", json!(huge)), "workId"),
        (with("password", json!("Short1")), "password"),
        // Guessable, whatever the mix of characters: zxcvbn rates them below 3 of 4.
        (with("password", json!("Password1!")), "password"),
        (with("password", json!("qwertyuiop123")), "password"),
        (with("password", json!("Secret123")), "password"),
        (with("password", json!("carol@example.com")), "password"),
        (with("password", json!(huge)), "password"),
        (with("birthday", json!("31/12/1990")), "birthday"),
        (with("birthday", json!("2999-01-01")), "birthday"),
        (with("name", json!("nul\u{0}byte")), "name"),
        (with("workId", json!(42)), "workId"),
        (with("email", json!(["a@b.c"])), "email"),
        (with("password", json!({"$ne": null})), "password"),
        (with("name", json!(true)), "name"),
        (with("timezone", json!(huge)), "timezone"),
    ];
    for (body, field) in cases {
        let answer = answer!(node.post("/accounts/register", &body, None), UNPROCESSABLE_ENTITY);
        assert!(fields(&answer).contains(&field.to_string()), "{field} not named in {answer} for {body}");
    }
    let everything_missing = answer!(node.post("/accounts/register", &json!({}), None), UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&everything_missing), ["workId", "name", "email", "workLocation", "password"]);
    assert_eq!(node.user_count().await, 0);
}

#[tokio::test]
async fn malformed_bodies_are_4xx_problems_and_write_nothing() {
    let node = TestNode::spawn().await;
    let url = node.url("/accounts/register");
    let send = |body: Vec<u8>, content_type: &'static str| {
        node.http.post(&url).header("content-type", content_type).body(body).send()
    };
    let cases: Vec<(Vec<u8>, &str, StatusCode)> = vec![
        (b"{\"email\":".to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (b"not json".to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (b"".to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (b"[1,2,3]".to_vec(), "application/json", StatusCode::UNPROCESSABLE_ENTITY),
        (b"\"a string\"".to_vec(), "application/json", StatusCode::UNPROCESSABLE_ENTITY),
        (b"\xff\xfe\x00".to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (serde_json::to_vec(&registration("dave")).unwrap(), "text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            serde_json::to_vec(&registration("dave")).unwrap(),
            "application/x-www-form-urlencoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (vec![b' '; 200_000], "application/json", StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (body, content_type, status) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        let response = send(body, content_type).await.unwrap();
        assert_eq!(response.status(), status, "{shown:?} as {content_type}");
        read(response, status, &format!("{shown:?} as {content_type}")).await;
    }
    assert_eq!(node.user_count().await, 0);
}

#[tokio::test]
async fn sql_looking_and_unicode_values_are_stored_verbatim() {
    let node = TestNode::spawn().await;
    let mut body = registration("eve");
    body["name"] = json!("Robert'); DROP TABLE accounts.users;--");
    body["workLocation"] = json!("東京 🗼 Zürich");
    body["department"] = json!("% _ \\ '\"");
    let response = node.post("/accounts/register", &body, None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["name"], "Robert'); DROP TABLE accounts.users;--");
    assert_eq!(user["workLocation"], "東京 🗼 Zürich");
    assert_eq!(user["department"], "% _ \\ '\"");
    assert_eq!(node.user_count().await, 1);
}

#[tokio::test]
async fn fifty_parallel_registrations_of_one_email_make_exactly_one_user() {
    let node = TestNode::spawn().await;
    let attempts = (0..50).map(|i| {
        let mut body = registration("race");
        body["workId"] = json!(format!("W-race-{i}"));
        let request = node.http.post(node.url("/accounts/register")).json(&body);
        async move { request.send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
    assert_eq!(node.user_count().await, 1);
}
