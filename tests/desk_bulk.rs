//! Desk tickets, work orders and estimates are mounted like every record module, so they have the
//! shared bulk routes too: each id is changed as its own PATCH or DELETE would change it (with the
//! module's rules: status moves, priced lines, soft delete), and a reference the caller may not
//! make refuses the whole request before anything is written.

mod common;

use common::answers::{answer, id, named};
use common::crm::member;
use common::TestNode;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use gateway::schema::desk::estimates;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// `(ok, status)` of each outcome of a bulk answer, in order.
fn outcomes(answer: &Value) -> Vec<(bool, u64)> {
    let results = answer["results"].as_array().unwrap_or_else(|| panic!("no results in {answer}"));
    results.iter().map(|r| (r["ok"].as_bool().unwrap(), r["status"].as_u64().unwrap())).collect()
}

/// A node and the token of a CRM administrator on it.
async fn administrator(tag: &str) -> (TestNode, String) {
    let node = TestNode::spawn().await;
    let admin = node.admin(&format!("{tag}-admin")).await;
    let member = member(&node, &admin, tag, None, Some(ADMINISTRATOR)).await;
    (node, member.token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_update_of_work_orders_checks_each_status_move_and_keeps_the_lines() {
    let (node, token) = administrator("bulk-orders").await;
    let part = id(&answer!(node.post("/desk/parts", &json!({"name": "Fuse", "price": "2.50"}), Some(&token)), CREATED));
    let lines = json!([{"kind": "part", "itemId": part, "quantity": 2}]);
    let open = answer!(node.post("/desk/work-orders", &json!({"title": "A", "lines": lines}), Some(&token)), CREATED);
    let done = json!({"title": "B", "status": "completed"});
    let closed = answer!(node.post("/desk/work-orders", &done, Some(&token)), CREATED);
    let missing = uuid::Uuid::new_v4().to_string();
    let body = json!({"ids": [id(&open), id(&closed), missing], "changes": {"status": "inProgress"}});
    let answered = answer!(node.post("/desk/work-orders/bulk-update", &body, Some(&token)), OK);
    assert_eq!(outcomes(&answered), [(true, 200), (false, 409), (false, 404)]);
    let moved = answer!(node.get(&format!("/desk/work-orders/{}", id(&open)), Some(&token)), OK);
    assert_eq!((moved["status"].as_str(), moved["grandTotal"].as_str()), (Some("inProgress"), Some("5.00")));
    assert_eq!(moved["lines"].as_array().map(Vec::len), Some(1));
    let kept = answer!(node.get(&format!("/desk/work-orders/{}", id(&closed)), Some(&token)), OK);
    assert_eq!(kept["status"], "completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_of_estimates_is_soft_and_answers_per_id() {
    let (node, token) = administrator("bulk-estimates").await;
    let estimate = answer!(node.post("/desk/estimates", &json!({"title": "Quote"}), Some(&token)), CREATED);
    let missing = uuid::Uuid::new_v4().to_string();
    let body = json!({"ids": [id(&estimate), missing]});
    let answered = answer!(node.post("/desk/estimates/bulk-delete", &body, Some(&token)), OK);
    assert_eq!(outcomes(&answered), [(true, 200), (false, 404)]);
    answer!(node.get(&format!("/desk/estimates/{}", id(&estimate)), Some(&token)), NOT_FOUND);
    let row = estimates::table.find(uuid::Uuid::parse_str(&id(&estimate)).unwrap());
    let kept_as_deleted: bool =
        row.select(estimates::deleted_at.is_not_null()).get_result(&mut node.db().await).await.unwrap();
    assert!(kept_as_deleted, "the estimate is kept, marked deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_update_of_tickets_records_each_change_in_its_activity() {
    let (node, token) = administrator("bulk-tickets").await;
    let body = json!({"subject": "Printer", "description": "Jammed"});
    let (first, second) = (
        answer!(node.post("/desk/tickets", &body, Some(&token)), CREATED),
        answer!(node.post("/desk/tickets", &body, Some(&token)), CREATED),
    );
    let request = json!({"ids": [id(&first), id(&second)], "changes": {"priority": "high"}});
    let answered = answer!(node.post("/desk/tickets/bulk-update", &request, Some(&token)), OK);
    assert_eq!(outcomes(&answered), [(true, 200), (true, 200)]);
    for ticket in [&first, &second] {
        let activity = answer!(node.get(&format!("/desk/tickets/{}/activity", id(ticket)), Some(&token)), OK);
        let kinds: Vec<&str> =
            activity["items"].as_array().unwrap().iter().filter_map(|a| a["kind"].as_str()).collect();
        assert_eq!(kinds, ["created", "updated"], "{activity}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_update_naming_a_contact_the_caller_cannot_see_changes_nothing() {
    let (node, token) = administrator("bulk-refused").await;
    let ticket =
        answer!(node.post("/desk/tickets", &json!({"subject": "S", "description": "D"}), Some(&token)), CREATED);
    let request = json!({"ids": [id(&ticket)], "changes": {"contactId": uuid::Uuid::new_v4(), "priority": "high"}});
    named(&answer!(node.post("/desk/tickets/bulk-update", &request, Some(&token)), UNPROCESSABLE_ENTITY), "contactId");
    let after = answer!(node.get(&format!("/desk/tickets/{}", id(&ticket)), Some(&token)), OK);
    assert_eq!(after["priority"], ticket["priority"]);
}
