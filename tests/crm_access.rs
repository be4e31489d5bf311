//! CRM access management: profiles, roles, assignment and cross-node invalidation, against real
//! PostgreSQL and RabbitMQ.

mod common;

use common::answers::{answer, fields};
use common::{eventually, TestNode};
use reqwest::StatusCode;
use serde_json::{json, Value};

const STANDARD: &str = "00000000-0000-4000-8000-000000000002";
const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// Registers `tag` and waits until the CRM knows them; answers their id.
async fn synced_user(node: &TestNode, tag: &str, observer: &str) -> String {
    let id = node.register(tag).await["id"].as_str().unwrap().to_string();
    eventually(3.0, "the user in the CRM", || async {
        (node.get(&format!("/crm/users/{id}"), Some(observer)).await.status() == StatusCode::OK).then_some(())
    })
    .await;
    id
}

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_are_managed_and_validated() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let listed = node.get_json("/crm/profiles", Some(&admin)).await;
    let names: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Administrator", "Standard"]);
    let standard = node.get_json(&format!("/crm/profiles/{STANDARD}"), Some(&admin)).await;
    assert_eq!(
        standard["permissions"]["contacts"],
        json!({"create": true, "read": true, "update": "own", "delete": "own"})
    );

    let body = json!({"name": "Reader", "description": "reads", "permissions": {"contacts": {"read": true}}});
    let reader = created(node.post("/crm/profiles", &body, Some(&admin)).await).await;
    assert_eq!(
        reader["permissions"]["contacts"],
        json!({"create": false, "read": true, "update": false, "delete": false})
    );
    let id = reader["id"].as_str().unwrap();

    for (bad, field) in [
        (json!({"name": "X", "permissions": {"widgets": {"read": true}}}), "permissions"),
        (json!({"name": "X", "permissions": {"contacts": {"share": true}}}), "permissions.contacts"),
        (json!({"name": "X", "permissions": {"contacts": {"read": "sometimes"}}}), "permissions.contacts.read"),
        (json!({"name": "X"}), "permissions"),
        (json!({"permissions": {}}), "name"),
        (json!({"name": 5, "permissions": {}}), "name"),
    ] {
        let answer = answer!(node.post("/crm/profiles", &bad, Some(&admin)), UNPROCESSABLE_ENTITY);
        assert!(fields(&answer).iter().any(|f| f.starts_with(field)), "{field} not named in {answer}");
    }
    let duplicate = json!({"name": "reader", "permissions": {}});
    assert_eq!(fields(&answer!(node.post("/crm/profiles", &duplicate, Some(&admin)), CONFLICT)), ["name"]);

    let renamed = node.patch(&format!("/crm/profiles/{id}"), &json!({"name": "Viewer"}), Some(&admin)).await;
    assert_eq!(renamed.json::<Value>().await.unwrap()["name"], "Viewer");
    let admin_profile = format!("/crm/profiles/{ADMINISTRATOR}");
    answer!(node.patch(&admin_profile, &json!({"permissions": {}}), Some(&admin)), CONFLICT);
    answer!(node.delete(&admin_profile, Some(&admin)), CONFLICT);
    answer!(node.delete(&format!("/crm/profiles/{STANDARD}"), Some(&admin)), CONFLICT);
    assert_eq!(node.delete(&format!("/crm/profiles/{id}"), Some(&admin)).await.status(), StatusCode::NO_CONTENT);
    answer!(node.get(&format!("/crm/profiles/{id}"), Some(&admin)), NOT_FOUND);

    node.register("plain").await;
    let plain = node.login("plain").await;
    answer!(node.get("/crm/profiles", Some(&plain)), FORBIDDEN);
    answer!(node.post("/crm/roles", &json!({"name": "R"}), Some(&plain)), FORBIDDEN);
    answer!(node.get("/crm/profiles", None), UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_form_a_tree_without_cycles() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let ceo = created(node.post("/crm/roles", &json!({"name": "CEO"}), Some(&admin)).await).await;
    let vp = created(node.post("/crm/roles", &json!({"name": "VP", "parentId": ceo["id"]}), Some(&admin)).await).await;
    let rep = created(
        node.post(
            "/crm/roles",
            &json!({"name": "Rep", "parentId": vp["id"], "shareDataWithPeers": true}),
            Some(&admin),
        )
        .await,
    )
    .await;
    assert_eq!(rep["shareDataWithPeers"], true);

    let tree = node.get_json("/crm/roles/tree", Some(&admin)).await;
    assert_eq!(tree[0]["name"], "CEO");
    assert_eq!(tree[0]["children"][0]["name"], "VP");
    assert_eq!(tree[0]["children"][0]["children"][0]["name"], "Rep");

    let ceo_path = format!("/crm/roles/{}", ceo["id"].as_str().unwrap());
    let answer = answer!(node.patch(&ceo_path, &json!({"parentId": rep["id"]}), Some(&admin)), CONFLICT);
    assert_eq!(fields(&answer), ["parentId"]);
    answer!(node.patch(&ceo_path, &json!({"parentId": ceo["id"]}), Some(&admin)), CONFLICT);
    let unknown = json!({"parentId": uuid::Uuid::new_v4()});
    answer!(node.patch(&ceo_path, &unknown, Some(&admin)), UNPROCESSABLE_ENTITY);
    answer!(node.post("/crm/roles", &json!({"name": "ceo"}), Some(&admin)), CONFLICT);
    answer!(node.post("/crm/roles", &json!({"parentId": ceo["id"]}), Some(&admin)), UNPROCESSABLE_ENTITY);

    let answer = answer!(node.delete(&ceo_path, Some(&admin)), CONFLICT);
    assert!(answer["detail"].as_str().unwrap().contains("VP"), "{answer}");
    let member = synced_user(&node, "member", &admin).await;
    let assign = json!({"roleId": rep["id"]});
    assert_eq!(node.patch(&format!("/crm/users/{member}"), &assign, Some(&admin)).await.status(), StatusCode::OK);
    let rep_path = format!("/crm/roles/{}", rep["id"].as_str().unwrap());
    let answer = answer!(node.delete(&rep_path, Some(&admin)), CONFLICT);
    assert!(answer["detail"].as_str().unwrap().contains("member@example.com"), "{answer}");
    assert_eq!(
        node.patch(&format!("/crm/users/{member}"), &json!({"roleId": null}), Some(&admin)).await.status(),
        StatusCode::OK
    );
    assert_eq!(node.delete(&rep_path, Some(&admin)).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_get_the_default_profile_and_assignments_are_validated() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let id = synced_user(&node, "newbie", &admin).await;
    let user = node.get_json(&format!("/crm/users/{id}"), Some(&admin)).await;
    assert_eq!(user["profileId"], STANDARD);
    assert_eq!(user["roleId"], Value::Null);
    let path = format!("/crm/users/{id}");
    let answer =
        answer!(node.patch(&path, &json!({"roleId": uuid::Uuid::new_v4()}), Some(&admin)), UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&answer), ["roleId"]);
    let answer = answer!(node.patch(&path, &json!({"profileId": null}), Some(&admin)), UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&answer), ["profileId"]);
    let answer = answer!(node.patch(&path, &json!({"profileId": "nope"}), Some(&admin)), UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&answer), ["profileId"]);
    let missing = format!("/crm/users/{}", uuid::Uuid::new_v4());
    answer!(node.patch(&missing, &json!({"profileId": STANDARD}), Some(&admin)), NOT_FOUND);
    let unchanged = node.get_json(&path, Some(&admin)).await;
    assert_eq!(unchanged["profileId"], STANDARD);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_change_on_one_node_is_enforced_on_another_within_a_second() {
    let a = TestNode::spawn().await;
    let b = a.join(|_| {}).await;
    let admin = a.admin("root").await;
    let id = synced_user(&a, "delegate", &admin).await;
    let delegate = a.login("delegate").await;
    answer!(b.get("/crm/profiles", Some(&delegate)), FORBIDDEN);

    let path = format!("/crm/users/{id}");
    assert_eq!(a.patch(&path, &json!({"profileId": ADMINISTRATOR}), Some(&admin)).await.status(), StatusCode::OK);
    eventually(1.0, "node B to grant the Administrator profile", || async {
        (b.get("/crm/profiles", Some(&delegate)).await.status() == StatusCode::OK).then_some(())
    })
    .await;
    // The delegate now manages the CRM, on any node.
    assert_eq!(b.get("/crm/roles/tree", Some(&delegate)).await.status(), StatusCode::OK);

    assert_eq!(a.patch(&path, &json!({"profileId": STANDARD}), Some(&admin)).await.status(), StatusCode::OK);
    eventually(1.0, "node B to withdraw it", || async {
        (b.get("/crm/profiles", Some(&delegate)).await.status() == StatusCode::FORBIDDEN).then_some(())
    })
    .await;
}
