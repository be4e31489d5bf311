//! The read rule's two forms agree: for every scope shape (Administrator, full grant with and
//! without visible users, own-only grant, no grant) and every record, the SQL condition a table
//! gets (`RecordStore::readable`) finds exactly the records the Rust form (`can_read`) allows.

mod common;

use common::TestNode;
use gateway::access::visibility::can_read;
use gateway::access::{Grant, Permissions, Scope};
use gateway::crm::records::contacts::Contacts;
use gateway::records::RecordStore;
use uuid::Uuid;

/// Inserts a CRM user directly (the sync is not under test here).
async fn crm_user(node: &TestNode, n: u32) -> Uuid {
    let id = Uuid::new_v4();
    node.sql(&format!(
        "INSERT INTO crm.users (id, work_id, email, name, work_location, version, date_joined, updated_at) \
         VALUES ('{id}', 'W{n}', 'u{n}@example.com', 'User {n}', 'Here', 1, now(), now())"
    ))
    .await;
    id
}

/// Inserts a contact owned by `owner`.
async fn contact(node: &TestNode, owner: Uuid, n: u32) -> Uuid {
    let id = Uuid::new_v4();
    node.sql(&format!(
        "INSERT INTO crm.contacts (id, first_name, last_name, email, owner_id, created_by, modified_by) \
         VALUES ('{id}', 'C', '{n}', 'c{n}@example.com', '{owner}', '{owner}', '{owner}')"
    ))
    .await;
    id
}

fn scope(user_id: Uuid, administrator: bool, visible_users: Vec<Uuid>) -> Scope {
    Scope { user_id, administrator, permissions: Permissions::default(), visible_users }
}

#[tokio::test]
async fn the_sql_and_rust_forms_of_the_read_rule_agree() {
    let node = TestNode::spawn().await;
    let mut users = Vec::new();
    for n in 0..4 {
        users.push(crm_user(&node, n).await);
    }
    let mut records = Vec::new();
    for (n, owner) in users.iter().enumerate() {
        records.push((contact(&node, *owner, n as u32).await, *owner));
    }
    let (me, below, peer) = (users[0], users[1], users[2]);
    let scopes = [
        ("administrator", scope(me, true, vec![])),
        ("a leaf", scope(me, false, vec![])),
        ("a manager", scope(me, false, vec![below])),
        ("a sharing peer", scope(me, false, vec![below, peer])),
    ];
    let mut conn = node.db().await;
    let mut checked = 0;
    for (name, scope) in &scopes {
        for grant in [Grant::All, Grant::Own, Grant::None] {
            for (id, owner) in &records {
                let found = Contacts::find(&mut conn, *id, Contacts::readable(scope, grant)).await.expect("query");
                let allowed = can_read(scope, grant, *owner);
                assert_eq!(found.is_some(), allowed, "{name}, {grant:?}, a record of user {owner}");
                checked += usize::from(allowed);
            }
        }
    }
    // Administrator 3 grants × 4 records, leaf 2 × 1, manager 1 × 2 + 1 × 1, peer 1 × 3 + 1 × 1.
    assert_eq!(checked, 12 + 2 + 3 + 4, "the matrix covers both answers");
}
