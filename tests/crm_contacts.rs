//! CRM contacts under the authorization model: a permission matrix over profiles and a
//! three-level role tree (with and without peer sharing), bulk operations and bad input.

mod common;

use common::answers::{answer, fields};
use common::crm::{member, role, Member};
use common::TestNode;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

async fn profile(node: &TestNode, admin: &str, name: &str, contacts: Value) -> String {
    let body = json!({"name": name, "permissions": {"contacts": contacts}});
    let response = node.post("/crm/profiles", &body, Some(admin)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// Creates a contact as `who`; answers its id.
async fn contact(node: &TestNode, who: &Member, tag: &str) -> String {
    let body = json!({"firstName": "C", "lastName": tag, "email": format!("{tag}@contacts.example")});
    let response = node.post("/crm/contacts", &body, Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{tag}");
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// The last names of the contacts `who` can list.
async fn visible(node: &TestNode, who: &Member) -> Vec<String> {
    let page = node.get_json("/crm/contacts?limit=100&sort=lastName", Some(&who.token)).await;
    page["items"].as_array().unwrap().iter().map(|c| c["lastName"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_follow_profiles_and_the_role_tree() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let top_role = role(&node, &admin, "Top", None).await;
    let middle_role = role(&node, &admin, "Middle", Some(&top_role)).await;
    let bottom_role = role(&node, &admin, "Bottom", Some(&middle_role)).await;

    let top = member(&node, &admin, "top", Some(&top_role), None).await;
    let mid1 = member(&node, &admin, "mid1", Some(&middle_role), None).await;
    let mid2 = member(&node, &admin, "mid2", Some(&middle_role), None).await;
    let bottom = member(&node, &admin, "bottom", Some(&bottom_role), None).await;
    let outsider = member(&node, &admin, "outsider", None, None).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let ids: Vec<String> = futures_util::future::join_all(
        [(&top, "t"), (&mid1, "m1"), (&mid2, "m2"), (&bottom, "b"), (&outsider, "o")]
            .map(|(who, tag)| contact(&node, who, tag)),
    )
    .await;
    let (_t, _m1, m2, b, o) = (&ids[0], &ids[1], &ids[2], &ids[3], &ids[4]);

    // Visibility: own, plus everything below; peers only when the role shares.
    assert_eq!(visible(&node, &top).await, ["b", "m1", "m2", "t"]);
    assert_eq!(visible(&node, &mid1).await, ["b", "m1"]);
    assert_eq!(visible(&node, &bottom).await, ["b"]);
    assert_eq!(visible(&node, &outsider).await, ["o"]);
    assert_eq!(visible(&node, &boss).await, ["b", "m1", "m2", "o", "t"]);
    answer!(node.get(&format!("/crm/contacts/{m2}"), Some(&mid1.token)), NOT_FOUND);
    answer!(node.get(&format!("/crm/contacts/{o}"), Some(&top.token)), NOT_FOUND);

    let middle_path = format!("/crm/roles/{}", middle_role["id"].as_str().unwrap());
    assert_eq!(
        node.patch(&middle_path, &json!({"shareDataWithPeers": true}), Some(&admin)).await.status(),
        StatusCode::OK
    );
    assert_eq!(visible(&node, &mid1).await, ["b", "m1", "m2"]);
    assert_eq!(node.get(&format!("/crm/contacts/{m2}"), Some(&mid1.token)).await.status(), StatusCode::OK);
    assert_eq!(visible(&node, &bottom).await, ["b"], "peers share sideways, not upwards");

    // Standard: update and delete only own records, even visible ones.
    let rename = json!({"firstName": "Renamed"});
    let answer = answer!(node.patch(&format!("/crm/contacts/{b}"), &rename, Some(&top.token)), FORBIDDEN);
    assert!(answer["detail"].as_str().unwrap().contains("update on contacts"), "{answer}");
    answer!(node.delete(&format!("/crm/contacts/{b}"), Some(&top.token)), FORBIDDEN);
    assert_eq!(node.patch(&format!("/crm/contacts/{b}"), &rename, Some(&bottom.token)).await.status(), StatusCode::OK);
    answer!(node.patch(&format!("/crm/contacts/{o}"), &rename, Some(&top.token)), NOT_FOUND);

    // A manager profile updates every visible record.
    let manager =
        profile(&node, &admin, "Manager", json!({"create": true, "read": true, "update": true, "delete": true})).await;
    let top_path = format!("/crm/users/{}", top.id);
    assert_eq!(node.patch(&top_path, &json!({"profileId": manager}), Some(&admin)).await.status(), StatusCode::OK);
    let updated = node.patch(&format!("/crm/contacts/{b}"), &json!({"department": "Sales"}), Some(&top.token)).await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(updated.json::<Value>().await.unwrap()["modifiedBy"], json!(top.id));

    // Bulk: per id, the answer a single request would have had.
    let unknown = uuid::Uuid::new_v4().to_string();
    let bulk = node.post("/crm/contacts/bulk-delete", &json!({"ids": [b, o, unknown]}), Some(&top.token)).await;
    let results = bulk.json::<Value>().await.unwrap()["results"].clone();
    let statuses: Vec<u64> = results.as_array().unwrap().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 404, 404]);
    assert_eq!(visible(&node, &boss).await, ["m1", "m2", "o", "t"]);

    // Read-only and no-read profiles.
    let reader = profile(&node, &admin, "Reader", json!({"read": "own"})).await;
    let mid2_path = format!("/crm/users/{}", mid2.id);
    assert_eq!(node.patch(&mid2_path, &json!({"profileId": reader}), Some(&admin)).await.status(), StatusCode::OK);
    assert_eq!(visible(&node, &mid2).await, ["m2"], "read \"own\" hides the peers' records");
    let body = json!({"firstName": "N", "lastName": "new", "email": "new@contacts.example"});
    let answer = answer!(node.post("/crm/contacts", &body, Some(&mid2.token)), FORBIDDEN);
    assert!(answer["detail"].as_str().unwrap().contains("create on contacts"));
    let blind = profile(&node, &admin, "Blind", json!({})).await;
    assert_eq!(node.patch(&mid2_path, &json!({"profileId": blind}), Some(&admin)).await.status(), StatusCode::OK);
    answer!(node.get("/crm/contacts", Some(&mid2.token)), FORBIDDEN);
    answer!(node.get(&format!("/crm/contacts/{m2}"), Some(&mid2.token)), FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_contact_input_is_refused_and_writes_nothing() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "writer", None, None).await;
    let first = contact(&node, &me, "first").await;
    let cases = [
        (json!({"lastName": "x", "email": "a@b.example"}), "firstName"),
        (json!({"firstName": "x", "lastName": "x", "email": "nope"}), "email"),
        (json!({"firstName": 3, "lastName": "x", "email": "a@b.example"}), "firstName"),
        (json!({"firstName": "x", "lastName": "x", "email": "a@b.example", "ownerId": "nope"}), "ownerId"),
        (
            json!({"firstName": "x", "lastName": "x", "email": "a@b.example", "ownerId": uuid::Uuid::new_v4()}),
            "ownerId",
        ),
        (json!({"firstName": "x", "lastName": "x", "email": "a@b.example", "currencyCode": "EURO"}), "currencyCode"),
    ];
    for (body, field) in cases {
        let answer = answer!(node.post("/crm/contacts", &body, Some(&me.token)), UNPROCESSABLE_ENTITY);
        assert!(fields(&answer).contains(&field.to_string()), "{field} not named in {answer}");
    }
    let duplicate = json!({"firstName": "x", "lastName": "x", "email": "FIRST@contacts.example"});
    assert_eq!(fields(&answer!(node.post("/crm/contacts", &duplicate, Some(&me.token)), CONFLICT)), ["email"]);
    for query in ["sort=password", "sort=-nope", "limit=101", "page=0", "ownerId=xyz"] {
        answer!(node.get(&format!("/crm/contacts?{query}"), Some(&me.token)), UNPROCESSABLE_ENTITY);
    }
    answer!(node.get("/crm/contacts/not-a-uuid", Some(&me.token)), BAD_REQUEST);
    answer!(
        node.patch(&format!("/crm/contacts/{first}"), &json!({"email": null}), Some(&me.token)),
        UNPROCESSABLE_ENTITY
    );
    answer!(node.post("/crm/contacts/bulk-delete", &json!({"ids": []}), Some(&me.token)), UNPROCESSABLE_ENTITY);
    answer!(node.post("/crm/contacts/bulk-delete", &json!({"ids": ["x"]}), Some(&me.token)), UNPROCESSABLE_ENTITY);
    assert_eq!(visible(&node, &me).await, ["first"]);
    let searched = node.get_json("/crm/contacts?search=FIRST", Some(&me.token)).await;
    assert_eq!(searched["total"], 1);
}
