//! The audit log through `GET /admin/audit`: entries written with the changes they describe,
//! naming who, what and from where, never secrets.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, named};
use crate::common::{email, TestNode, PASSWORD};

/// The entries `GET /admin/audit?{query}` answers an administrator.
async fn entries(node: &TestNode, admin: &str, query: &str) -> Vec<Value> {
    let page = answer!(node.get(&format!("/admin/audit?{query}"), Some(admin)), OK);
    page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).clone()
}

/// The id of the user behind `token`.
async fn id_of(node: &TestNode, token: &str) -> String {
    node.get_json("/accounts/me", Some(token)).await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn who_deleted_a_user_and_from_where_is_one_request() {
    let node = TestNode::spawn().await;
    let admin = node.admin("auditor").await;
    let victim = node.register("gone").await;
    let path = format!("/accounts/users/{}", victim["id"].as_str().unwrap());
    let deleted = reqwest::Client::new()
        .delete(node.url(&path))
        .bearer_auth(&admin)
        .header("x-request-id", "delete-gone-1")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let query = format!("action=user.deleted&targetType=user&targetId={}", victim["id"].as_str().unwrap());
    let found = entries(&node, &admin, &query).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let entry = &found[0];
    assert_eq!(entry["actorId"].as_str(), Some(id_of(&node, &admin).await.as_str()));
    assert_eq!((entry["address"].as_str(), entry["requestId"].as_str()), (Some("127.0.0.1"), Some("delete-gone-1")));
    assert!(entry["node"].is_string() && entry["at"].is_string(), "{entry}");
}

#[tokio::test]
async fn logins_are_recorded_with_whom_they_tried_and_never_the_password() {
    let node = TestNode::spawn().await;
    let admin = node.admin("watcher").await;
    let user = node.register("tried").await;
    let user_id = user["id"].as_str().unwrap();
    let wrong = json!({"email": email("tried"), "password": "Not-The-Password-1"});
    answer!(node.post("/accounts/login", &wrong, None), UNAUTHORIZED);
    let unknown = json!({"email": "nobody-here@example.com", "password": "Not-The-Password-1"});
    answer!(node.post("/accounts/login", &unknown, None), UNAUTHORIZED);
    node.login("tried").await;

    let failed = entries(&node, &admin, "action=login.failed&limit=100").await;
    let targets: Vec<&Value> = failed.iter().map(|e| &e["targetId"]).collect();
    assert!(targets.contains(&&json!(user_id)), "the known user was tried: {failed:?}");
    assert!(targets.contains(&&Value::Null), "an unknown email names no one: {failed:?}");
    assert!(failed.iter().all(|e| e["actorId"].is_null()));
    let succeeded = entries(&node, &admin, &format!("action=login.succeeded&actor={user_id}")).await;
    assert_eq!((succeeded.len(), succeeded[0]["targetType"].as_str()), (1, Some("session")));
    let everything = answer!(node.get("/admin/audit?limit=100", Some(&admin)), OK).to_string();
    for secret in ["Not-The-Password-1", PASSWORD, "nobody-here@example.com"] {
        assert!(!everything.contains(secret), "the audit log holds {secret}");
    }
}

#[tokio::test]
async fn a_password_change_names_the_fields_and_a_refused_change_writes_no_entry() {
    let node = TestNode::spawn().await;
    let admin = node.admin("overseer").await;
    node.register("taken").await;
    let user = node.register("mover").await;
    let token = node.login("mover").await;
    let change = json!({"currentPassword": PASSWORD, "newPassword": "Tidal-Lantern-77", "department": "Ops"});
    answer!(node.patch("/accounts/me", &change, Some(&token)), OK);
    let target = format!("targetType=user&targetId={}", user["id"].as_str().unwrap());
    let updated = entries(&node, &admin, &format!("action=user.updated&{target}")).await;
    assert_eq!(updated[0]["fields"], json!(["password", "department"]));
    assert_eq!(entries(&node, &admin, &format!("action=password.changed&{target}")).await.len(), 1);
    // An admin change that conflicts (a taken email) is refused whole: no entry.
    let path = format!("/accounts/users/{}", user["id"].as_str().unwrap());
    answer!(node.patch(&path, &json!({"email": email("taken")}), Some(&admin)), CONFLICT);
    assert_eq!(entries(&node, &admin, &format!("action=user.updated&{target}")).await.len(), 1);
}

#[tokio::test]
async fn ending_sessions_is_recorded_with_the_reason() {
    let node = TestNode::spawn().await;
    let admin = node.admin("keeper").await;
    node.register("leaver").await;
    let token = node.login("leaver").await;
    let session = node.claims(&token).sid;
    answer!(node.send(reqwest::Method::POST, "/accounts/logout", None, Some(&token)), NO_CONTENT);
    let found = entries(&node, &admin, &format!("action=session.revoked&targetId={session}")).await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        (&found[0]["fields"], found[0]["actorId"].as_str()),
        (&json!(["logout"]), Some(id_of_token(&node, &token).as_str()))
    );
}

/// The user id a token was issued to.
fn id_of_token(node: &TestNode, token: &str) -> String {
    node.claims(token).sub.to_string()
}

#[tokio::test]
async fn the_audit_log_is_for_administrators_filters_are_checked_and_entries_never_change() {
    let node = TestNode::spawn().await;
    let admin = node.admin("guard").await;
    node.register("curious").await;
    let user = node.login("curious").await;
    answer!(node.get("/admin/audit", Some(&user)), FORBIDDEN);
    answer!(node.get("/admin/audit", None), UNAUTHORIZED);
    for (query, field) in
        [("actor=someone", "actor"), ("from=yesterday", "from"), ("to=2026-13-01", "to"), ("limit=0", "limit")]
    {
        named(&answer!(node.get(&format!("/admin/audit?{query}"), Some(&admin)), UNPROCESSABLE_ENTITY), field);
    }
    let window = entries(&node, &admin, "from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z").await;
    assert!(window.is_empty());
    let changed = diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE audit.entries SET action = 'nothing'"),
        &mut node.db().await,
    )
    .await;
    assert!(changed.is_err(), "entries are append-only");
}
