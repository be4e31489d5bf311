use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::answers::{answer, fields};
use crate::common::TestNode;

#[tokio::test]
async fn admin_endpoints_refuse_non_admins_and_anonymous_callers() {
    let node = TestNode::spawn().await;
    let user = node.register("kim").await;
    let token = node.login("kim").await;
    let id = user["id"].as_str().unwrap();
    let path = format!("/accounts/users/{id}");
    answer!(node.get("/accounts/users", Some(&token)), FORBIDDEN);
    answer!(node.get(&path, Some(&token)), FORBIDDEN);
    answer!(node.patch(&path, &json!({"isAdmin": true}), Some(&token)), FORBIDDEN);
    answer!(node.delete(&path, Some(&token)), FORBIDDEN);
    answer!(node.get("/admin/actors", Some(&token)), FORBIDDEN);
    answer!(node.get("/accounts/users", None), UNAUTHORIZED);
    answer!(node.delete(&path, None), UNAUTHORIZED);
    let me = node.get_json("/accounts/me", Some(&token)).await;
    assert_eq!(me["isAdmin"], false);
}

#[tokio::test]
async fn admins_list_users_by_page_and_search() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    for i in 0..5 {
        node.register(&format!("pat{i}")).await;
    }
    node.register("quinn").await;

    let page = node.get_json("/accounts/users?page=1&limit=4", Some(&admin)).await;
    assert_eq!((page["total"].as_i64(), page["page"].as_i64(), page["limit"].as_i64()), (Some(7), Some(1), Some(4)));
    assert_eq!(page["items"].as_array().unwrap().len(), 4);
    let second = node.get_json("/accounts/users?page=2&limit=4", Some(&admin)).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 3);
    let first_ids: Vec<&Value> = page["items"].as_array().unwrap().iter().map(|u| &u["id"]).collect();
    assert!(second["items"].as_array().unwrap().iter().all(|u| !first_ids.contains(&&u["id"])));

    let found = node.get_json("/accounts/users?search=PAT", Some(&admin)).await;
    assert_eq!(found["total"], 5);
    let by_work_id = node.get_json("/accounts/users?search=W-quinn", Some(&admin)).await;
    assert_eq!(by_work_id["total"], 1);
    let wildcard = node.get_json("/accounts/users?search=%25", Some(&admin)).await;
    assert_eq!(wildcard["total"], 0, "a literal % matches nothing");
    assert!(!serde_json::to_string(&page).unwrap().contains("argon2"));

    for query in ["limit=101", "limit=0", "page=0", "page=abc", "limit=-5"] {
        let answer = answer!(node.get(&format!("/accounts/users?{query}"), Some(&admin)), UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&answer).len(), 1, "{query}: {answer}");
    }
}

#[tokio::test]
async fn admins_read_update_and_delete_users() {
    let node = TestNode::spawn().await;
    let admin = node.admin("boss").await;
    let user = node.register("lea").await;
    let other = node.register("max").await;
    let path = format!("/accounts/users/{}", user["id"].as_str().unwrap());

    let read = node.get_json(&path, Some(&admin)).await;
    assert_eq!(read["email"], "lea@example.com");

    let update = json!({"name": "Lea Admin", "email": "Lea.New@Example.com", "workId": "W-lea-2", "isAdmin": true});
    let updated: Value = node.patch(&path, &update, Some(&admin)).await.json().await.unwrap();
    assert_eq!(
        (updated["name"].as_str(), updated["email"].as_str(), updated["workId"].as_str()),
        (Some("Lea Admin"), Some("lea.new@example.com"), Some("W-lea-2"))
    );
    assert_eq!(updated["isAdmin"], true);

    let taken = json!({"email": other["email"]});
    let answer = answer!(node.patch(&path, &taken, Some(&admin)), CONFLICT);
    assert_eq!(fields(&answer), ["email"]);

    // A password reset by an administrator needs no current password.
    let reset = json!({"newPassword": "Vivid-Orbit-Maple-9"});
    assert_eq!(node.patch(&path, &reset, Some(&admin)).await.status(), StatusCode::OK);
    let login = json!({"email": "lea.new@example.com", "password": "Vivid-Orbit-Maple-9"});
    assert_eq!(node.post("/accounts/login", &login, None).await.status(), StatusCode::OK);

    assert_eq!(node.delete(&path, Some(&admin)).await.status(), StatusCode::NO_CONTENT);
    answer!(node.get(&path, Some(&admin)), NOT_FOUND);
    answer!(node.delete(&path, Some(&admin)), NOT_FOUND);
    answer!(node.post("/accounts/login", &login, None), UNAUTHORIZED);
    let missing = format!("/accounts/users/{}", uuid::Uuid::new_v4());
    answer!(node.get(&missing, Some(&admin)), NOT_FOUND);
    answer!(node.patch(&missing, &json!({"name": "x"}), Some(&admin)), NOT_FOUND);
    answer!(node.get("/accounts/users/not-a-uuid", Some(&admin)), BAD_REQUEST);
}

#[tokio::test]
async fn the_last_administrator_cannot_be_demoted_or_deleted() {
    let node = TestNode::spawn().await;
    let admin = node.admin("only").await;
    let me = node.get_json("/accounts/me", Some(&admin)).await;
    let path = format!("/accounts/users/{}", me["id"].as_str().unwrap());
    let answer = answer!(node.patch(&path, &json!({"isAdmin": false}), Some(&admin)), CONFLICT);
    assert_eq!(fields(&answer), ["isAdmin"]);
    answer!(node.delete(&path, Some(&admin)), CONFLICT);

    let second = node.admin("second").await;
    assert_eq!(node.patch(&path, &json!({"isAdmin": false}), Some(&second)).await.status(), StatusCode::OK);
}
