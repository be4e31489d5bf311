//! CRM fixtures shared by the CRM tests: roles, profiles, and members with a role and a profile.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::answers::{answer, id};
use super::{eventually, TestNode};

/// A signed-in CRM user: their id and token.
pub struct Member {
    pub id: String,
    pub token: String,
}

/// Registers `tag`, waits for the CRM to know them, assigns `role` and `profile`, signs in.
pub async fn member(node: &TestNode, admin: &str, tag: &str, role: Option<&Value>, profile: Option<&str>) -> Member {
    let id = node.register(tag).await["id"].as_str().unwrap().to_string();
    let path = format!("/crm/users/{id}");
    // A generous deadline: with many nodes starting at once on a small machine, the sync is slow.
    eventually(10.0, "the user in the CRM", || async {
        (node.get(&path, Some(admin)).await.status() == StatusCode::OK).then_some(())
    })
    .await;
    let mut assignment = json!({});
    if let Some(role) = role {
        assignment["roleId"] = role["id"].clone();
    }
    if let Some(profile) = profile {
        assignment["profileId"] = json!(profile);
    }
    assert_eq!(node.patch(&path, &assignment, Some(admin)).await.status(), StatusCode::OK);
    Member { id, token: node.login(tag).await }
}

/// Creates a role under `parent`; answers it.
pub async fn role(node: &TestNode, admin: &str, name: &str, parent: Option<&Value>) -> Value {
    let body = json!({"name": name, "parentId": parent.map(|p| p["id"].clone())});
    let response = node.post("/crm/roles", &body, Some(admin)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// Creates a profile with `permissions` (`{module: {create, read, update, delete}}`); answers its id.
pub async fn profile(node: &TestNode, admin: &str, name: &str, permissions: Value) -> String {
    let body = json!({"name": name, "permissions": permissions});
    id(&answer!(node.post("/crm/profiles", &body, Some(admin)), CREATED))
}

/// Gives `who` another profile.
pub async fn assign(node: &TestNode, admin: &str, who: &Member, profile: &str) {
    answer!(node.patch(&format!("/crm/users/{}", who.id), &json!({"profileId": profile}), Some(admin)), OK);
}
