//! The audit log of CRM and desk changes: record deletes (one by one and in bulk), lead and
//! estimate conversions, profile and role changes and user assignments, each with who, from
//! where and what — read back through `GET /admin/audit`.

mod common;

use common::answers::{answer, id};
use common::crm::{member, Member};
use common::TestNode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// A node, its platform administrator's token and a CRM member with the Administrator profile.
async fn setting(tag: &str) -> (TestNode, String, Member) {
    let node = TestNode::spawn().await;
    let admin = node.admin(&format!("{tag}-root")).await;
    let member = member(&node, &admin, tag, None, Some(ADMINISTRATOR)).await;
    (node, admin, member)
}

/// The entries `GET /admin/audit?{query}` answers.
async fn entries(node: &TestNode, admin: &str, query: &str) -> Vec<Value> {
    let page = answer!(node.get(&format!("/admin/audit?{query}"), Some(admin)), OK);
    page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).clone()
}

/// Creates a record of `module` as `who`; answers its id.
async fn create(node: &TestNode, who: &Member, module: &str, body: Value) -> String {
    id(&answer!(node.post(module, &body, Some(&who.token)), CREATED))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_deleted_a_contact_and_from_where_is_one_request() {
    let (node, admin, me) = setting("deleter").await;
    let contact =
        create(&node, &me, "/crm/contacts", json!({"firstName": "Ada", "lastName": "L", "email": "ada@audit.example"}))
            .await;
    let deleted = reqwest::Client::new()
        .delete(node.url(&format!("/crm/contacts/{contact}")))
        .bearer_auth(&me.token)
        .header("x-request-id", "delete-ada-7")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), reqwest::StatusCode::NO_CONTENT);
    let found = entries(&node, &admin, &format!("targetType=contact&targetId={contact}")).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let entry = &found[0];
    assert_eq!(entry["action"], "crm.contact.deleted");
    assert_eq!(entry["actorId"].as_str(), Some(me.id.as_str()));
    assert_eq!((entry["address"].as_str(), entry["requestId"].as_str()), (Some("127.0.0.1"), Some("delete-ada-7")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_delete_records_each_deleted_record_and_nothing_for_the_refused_ones() {
    let (node, admin, me) = setting("bulker").await;
    let order = create(&node, &me, "/desk/work-orders", json!({"title": "Gone"})).await;
    let missing = uuid::Uuid::new_v4().to_string();
    let body = json!({"ids": [order, missing]});
    answer!(node.post("/desk/work-orders/bulk-delete", &body, Some(&me.token)), OK);
    let found = entries(&node, &admin, "action=desk.workOrder.deleted").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0]["targetId"].as_str(), &found[0]["fields"]), (Some(order.as_str()), &json!(["bulk"])));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversions_of_leads_and_estimates_are_recorded() {
    let (node, admin, me) = setting("converter").await;
    let lead = json!({"firstName": "Lin", "lastName": "Lead", "phone": "+351 1", "email": "lin@audit.example", "company": "Lin Co", "billingStreet": "1 Rd", "billingCity": "Porto", "billingState": "Norte", "billingZip": "4000", "billingCountry": "Portugal"});
    let lead = create(&node, &me, "/crm/leads", lead).await;
    answer!(node.post(&format!("/crm/leads/{lead}/convert"), &json!({}), Some(&me.token)), OK);
    let estimate = create(&node, &me, "/desk/estimates", json!({"title": "Quote"})).await;
    answer!(node.post(&format!("/desk/estimates/{estimate}/convert"), &json!({}), Some(&me.token)), OK);
    for (action, target) in [("crm.lead.converted", &lead), ("desk.estimate.converted", &estimate)] {
        let found = entries(&node, &admin, &format!("action={action}&targetId={target}")).await;
        assert_eq!((found.len(), found[0]["actorId"].as_str()), (1, Some(me.id.as_str())), "{action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_changes_name_the_fields_they_set() {
    let (node, admin, me) = setting("governor").await;
    let body = json!({"name": "Auditors", "permissions": {"contacts": {"read": true}}});
    let profile = id(&answer!(node.post("/crm/profiles", &body, Some(&admin)), CREATED));
    answer!(node.patch(&format!("/crm/profiles/{profile}"), &json!({"description": "Read only"}), Some(&admin)), OK);
    answer!(node.patch(&format!("/crm/users/{}", me.id), &json!({"profileId": profile}), Some(&admin)), OK);
    let role = id(&answer!(node.post("/crm/roles", &json!({"name": "Temporary"}), Some(&admin)), CREATED));
    answer!(node.delete(&format!("/crm/roles/{role}"), Some(&admin)), NO_CONTENT);
    let updated = entries(&node, &admin, &format!("action=crm.profile.updated&targetId={profile}")).await;
    assert_eq!(updated[0]["fields"], json!(["description"]));
    let assigned = entries(&node, &admin, &format!("action=crm.user.assigned&targetId={}", me.id)).await;
    assert_eq!(assigned[0]["fields"], json!(["profileId"]));
    assert_eq!(entries(&node, &admin, &format!("action=crm.role.deleted&targetId={role}")).await.len(), 1);
}
