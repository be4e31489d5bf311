//! Desk's cache of CRM names across nodes: a contact renamed or deleted through one node shows
//! on a ticket read through another well before the cache's 5 s expiry would (the mesh's
//! `crm.record.changed`).

mod common;

use common::{eventually, TestNode};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_changed_on_one_node_shows_on_tickets_read_on_another_before_the_cache_expires() {
    let a = TestNode::spawn().await;
    let b = a.join(|_| {}).await;
    let id = a.register("agent").await["id"].as_str().unwrap().to_string();
    let token = a.login("agent").await;
    let contact = eventually(3.0, "the agent in the CRM", || async {
        let body = json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@links.example"});
        let response = a.post("/crm/contacts", &body, Some(&token)).await;
        if response.status() == StatusCode::CREATED {
            response.json::<Value>().await.ok()
        } else {
            None
        }
    })
    .await;
    let contact_id = contact["id"].as_str().unwrap().to_string();
    let ticket = a
        .post("/desk/tickets", &json!({"subject": "S", "description": "D", "contactId": contact_id}), Some(&token))
        .await;
    assert_eq!(ticket.status(), StatusCode::CREATED);
    let ticket_path = format!("/desk/tickets/{}", ticket.json::<Value>().await.unwrap()["id"].as_str().unwrap());
    let name_on_b = || async {
        let ticket = b.get_json(&ticket_path, Some(&token)).await;
        assert_eq!(ticket["ownerId"], json!(id));
        ticket["contact"].clone()
    };
    // Node B reads (and caches) the name.
    assert_eq!(name_on_b().await, json!({"id": contact_id, "status": "visible", "name": "Ada Lovelace"}));

    let contact_path = format!("/crm/contacts/{contact_id}");
    assert_eq!(a.patch(&contact_path, &json!({"lastName": "King"}), Some(&token)).await.status(), StatusCode::OK);
    eventually(3.0, "node B to show the new name", || async {
        (name_on_b().await["name"] == "Ada King").then_some(())
    })
    .await;

    assert_eq!(a.delete(&contact_path, Some(&token)).await.status(), StatusCode::NO_CONTENT);
    eventually(3.0, "node B to show the contact missing", || async {
        (name_on_b().await == json!({"id": contact_id, "status": "missing"})).then_some(())
    })
    .await;
}
