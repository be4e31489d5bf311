//! One policy for request bodies, on every kind of endpoint: a body that is not JSON is 400 whatever
//! else is wrong with it; a field the body does not have is 422 naming it (at any depth) and
//! writes nothing; the record's read-only fields sent back from a read are dropped.

mod common;

use common::answers::{answer, id, named, read};
use common::crm::member;
use common::TestNode;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// Sends `text` as a JSON body with `method` to `path`.
async fn raw(node: &TestNode, method: reqwest::Method, path: &str, token: &str, text: &'static str) -> Value {
    let response = node
        .http
        .request(method, node.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(text)
        .send()
        .await
        .expect("request");
    read(response, StatusCode::BAD_REQUEST, path).await
}

/// Rows in a table, to prove a refused write left nothing.
async fn rows(node: &TestNode, table: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let query = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"));
    query.get_result::<Count>(&mut node.db().await).await.expect("count").n
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_even_when_its_first_field_is_unknown() {
    let node = TestNode::spawn().await;
    let admin = node.admin("ops").await;
    let crm = member(&node, &admin, "seller", None, Some(ADMINISTRATOR)).await;
    let lead = answer!(node.post("/crm/leads", &json!({"firstName": "Ada", "lastName": "Lovelace", "company": "Engines", "email": "ada@engines.example", "phone": "+44 1"}), Some(&crm.token)), CREATED);
    let convert = format!("/crm/leads/{}/convert", id(&lead));
    let problem = raw(&node, reqwest::Method::POST, &convert, &crm.token, r#"{"firstName": "Ada", "#).await;
    named(&problem, "body");
    raw(&node, reqwest::Method::POST, "/crm/contacts", &crm.token, r#"{"first_name": "Ada""#).await;
    raw(&node, reqwest::Method::PATCH, "/accounts/me", &crm.token, r#"{"name": }"#).await;
    assert_eq!(rows(&node, "crm.contacts").await, 0);
}

#[tokio::test]
async fn an_unknown_field_is_422_naming_it_and_writes_nothing() {
    let node = TestNode::spawn().await;
    let admin = node.admin("ops").await;
    let crm = member(&node, &admin, "seller", None, Some(ADMINISTRATOR)).await;
    let token = Some(crm.token.as_str());

    // The old system's snake_case fields.
    let problem = answer!(
        node.post("/crm/contacts", &json!({"first_name": "Ada", "lastName": "Lovelace"}), token),
        UNPROCESSABLE_ENTITY
    );
    named(&problem, "first_name");
    assert_eq!(rows(&node, "crm.contacts").await, 0);

    // The old system's work-order shape: its lines were `services` and `parts`.
    let old_shape = json!({"title": "Boiler", "services": [{"id": "x"}], "parts": []});
    let problem = answer!(node.post("/desk/work-orders", &old_shape, token), UNPROCESSABLE_ENTITY);
    named(&problem, "services");
    named(&problem, "parts");
    assert_eq!(rows(&node, "desk.work_orders").await, 0);

    // Nested bodies name the path.
    let deal = json!({"createDeal": {"name": "Engines", "nmae": "typo"}});
    let lead = answer!(node.post("/crm/leads", &json!({"firstName": "George", "lastName": "Byron", "company": "Poems", "email": "byron@poems.example", "phone": "+44 2"}), token), CREATED);
    let problem = answer!(node.post(&format!("/crm/leads/{}/convert", id(&lead)), &deal, token), UNPROCESSABLE_ENTITY);
    named(&problem, "createDeal.nmae");
    let bulk = json!({"ids": [id(&lead)], "changes": {"colour": "red"}});
    named(&answer!(node.post("/crm/leads/bulk-update", &bulk, token), UNPROCESSABLE_ENTITY), "changes.colour");

    // Identity and management bodies follow the same rule.
    named(&answer!(node.patch("/accounts/me", &json!({"nickname": "Ada"}), token), UNPROCESSABLE_ENTITY), "nickname");
    let profile = json!({"name": "Sellers", "permissions": {}, "colour": "red"});
    named(&answer!(node.post("/crm/profiles", &profile, Some(&admin)), UNPROCESSABLE_ENTITY), "colour");
    named(
        &answer!(
            node.post("/accounts/login", &json!({"email": "a@b.c", "password": "x", "remember": true}), None),
            UNPROCESSABLE_ENTITY
        ),
        "remember",
    );
}

#[tokio::test]
async fn a_user_cannot_grant_themselves_administrator_fields() {
    let node = TestNode::spawn().await;
    node.register("ada").await;
    let token = node.login("ada").await;
    let problem = answer!(node.patch("/accounts/me", &json!({"isAdmin": true}), Some(&token)), UNPROCESSABLE_ENTITY);
    named(&problem, "isAdmin");
    assert_eq!(node.get_json("/accounts/me", Some(&token)).await["isAdmin"], false);
}

#[tokio::test]
async fn read_only_fields_sent_back_from_a_read_are_dropped() {
    let node = TestNode::spawn().await;
    let admin = node.admin("ops").await;
    let crm = member(&node, &admin, "seller", None, Some(ADMINISTRATOR)).await;
    let token = Some(crm.token.as_str());

    let account = answer!(
        node.post(
            "/crm/accounts",
            &json!({"name": "Engines Ltd", "billingStreet": "1 Analytical Way", "billingCity": "London"}),
            token
        ),
        CREATED
    );
    let mut read_back = answer!(node.get(&format!("/crm/accounts/{}", id(&account)), token), OK);
    assert!(read_back["contactCount"].is_i64(), "{read_back}");
    read_back["name"] = json!("Analytical Engines Ltd");
    let changed = answer!(node.patch(&format!("/crm/accounts/{}", id(&account)), &read_back, token), OK);
    assert_eq!(changed["name"], "Analytical Engines Ltd");
    assert_eq!(changed["id"], account["id"], "the id is not writable");

    let ticket =
        answer!(node.post("/desk/tickets", &json!({"subject": "Noise", "description": "Loud"}), token), CREATED);
    let mut read_back = answer!(node.get(&format!("/desk/tickets/{}", id(&ticket)), token), OK);
    read_back["priority"] = json!("high");
    let changed = answer!(node.patch(&format!("/desk/tickets/{}", id(&ticket)), &read_back, token), OK);
    assert_eq!(changed["priority"], "high");
}
