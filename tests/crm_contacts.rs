//! CRM contacts under the authorization model: a permission matrix over profiles and a
//! three-level role tree (with and without peer sharing), bulk operations and bad input.

mod common;

use common::answers::{answer, fields, id};
use common::crm::{assign, member, profile, role, Member};
use common::TestNode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// Creates a profile with `contacts` as its permissions on contacts; answers its id.
async fn contacts_profile(node: &TestNode, admin: &str, name: &str, contacts: Value) -> String {
    profile(node, admin, name, json!({"contacts": contacts})).await
}

/// Creates a contact as `who`; answers its id.
async fn contact(node: &TestNode, who: &Member, tag: &str) -> String {
    let body = json!({"firstName": "C", "lastName": tag, "email": format!("{tag}@contacts.example")});
    id(&answer!(node.post("/crm/contacts", &body, Some(&who.token)), CREATED))
}

/// The last names of the contacts `who` can list.
async fn visible(node: &TestNode, who: &Member) -> Vec<String> {
    let page = node.get_json("/crm/contacts?limit=100&sort=lastName", Some(&who.token)).await;
    page["items"].as_array().unwrap().iter().map(|c| c["lastName"].as_str().unwrap().to_string()).collect()
}

/// The path of a contact.
fn contact_path(contact: &str) -> String {
    format!("/crm/contacts/{contact}")
}

/// Asserts that a 403 names `action` on contacts.
fn denies(problem: &Value, action: &str) {
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(&format!("{action} on contacts")), "{action} on contacts not named in {problem}");
}

/// A change of first name.
fn rename() -> Value {
    json!({"firstName": "Renamed"})
}

/// A three-level role tree, Top above Middle above Bottom: `top`, the peers `mid1` and `mid2`, and
/// `bottom` hold those roles; `outsider` has none and `boss` has the Administrator profile. All
/// have the Standard profile but `boss`, and all but `boss` own a contact whose last name is their
/// tag: t, m1, m2, b and o.
struct Tree {
    node: TestNode,
    admin: String,
    middle_role: Value,
    top: Member,
    mid1: Member,
    mid2: Member,
    bottom: Member,
    outsider: Member,
    boss: Member,
    m2: String,
    b: String,
    o: String,
}

async fn tree() -> Tree {
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
    let [_, _, m2, b, o] = ids.try_into().expect("five contacts");
    Tree { node, admin, middle_role, top, mid1, mid2, bottom, outsider, boss, m2, b, o }
}

impl Tree {
    /// Lets the holders of the Middle role see each other's contacts.
    async fn share_middle(&self) {
        let path = format!("/crm/roles/{}", self.middle_role["id"].as_str().unwrap());
        answer!(self.node.patch(&path, &json!({"shareDataWithPeers": true}), Some(&self.admin)), OK);
    }

    /// Gives `who` a profile named `name` with `contacts` as its permissions on contacts.
    async fn give(&self, who: &Member, name: &str, contacts: Value) {
        let profile = contacts_profile(&self.node, &self.admin, name, contacts).await;
        assign(&self.node, &self.admin, who, &profile).await;
    }

    /// Gives `top` a profile that may do everything with contacts.
    async fn top_manages(&self) {
        self.give(&self.top, "Manager", json!({"create": true, "read": true, "update": true, "delete": true})).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_is_visible_to_its_owner_the_roles_above_and_the_administrator_profile() {
    let fx = tree().await;
    let node = &fx.node;
    assert_eq!(visible(node, &fx.top).await, ["b", "m1", "m2", "t"]);
    assert_eq!(visible(node, &fx.mid1).await, ["b", "m1"]);
    assert_eq!(visible(node, &fx.bottom).await, ["b"]);
    assert_eq!(visible(node, &fx.outsider).await, ["o"]);
    assert_eq!(visible(node, &fx.boss).await, ["b", "m1", "m2", "o", "t"]);
    answer!(node.get(&contact_path(&fx.m2), Some(&fx.mid1.token)), NOT_FOUND);
    answer!(node.get(&contact_path(&fx.o), Some(&fx.top.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_sharing_shows_the_peers_contacts_sideways_but_not_upwards() {
    let fx = tree().await;
    fx.share_middle().await;
    assert_eq!(visible(&fx.node, &fx.mid1).await, ["b", "m1", "m2"]);
    answer!(fx.node.get(&contact_path(&fx.m2), Some(&fx.mid1.token)), OK);
    assert_eq!(visible(&fx.node, &fx.bottom).await, ["b"], "peers share sideways, not upwards");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standard_changes_and_deletes_only_its_own_contacts_even_among_those_it_sees() {
    let fx = tree().await;
    let (node, top, b) = (&fx.node, &fx.top, contact_path(&fx.b));
    denies(&answer!(node.patch(&b, &rename(), Some(&top.token)), FORBIDDEN), "update");
    answer!(node.delete(&b, Some(&top.token)), FORBIDDEN);
    answer!(node.patch(&b, &rename(), Some(&fx.bottom.token)), OK);
    answer!(node.patch(&contact_path(&fx.o), &rename(), Some(&top.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_granting_update_changes_every_visible_contact_as_its_modifier() {
    let fx = tree().await;
    fx.top_manages().await;
    let sales = json!({"department": "Sales"});
    let updated = answer!(fx.node.patch(&contact_path(&fx.b), &sales, Some(&fx.top.token)), OK);
    assert_eq!(updated["modifiedBy"], json!(fx.top.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_answers_per_id_what_a_single_delete_would_have() {
    let fx = tree().await;
    fx.top_manages().await;
    let body = json!({"ids": [fx.b, fx.o, uuid::Uuid::new_v4().to_string()]});
    let bulk = answer!(fx.node.post("/crm/contacts/bulk-delete", &body, Some(&fx.top.token)), OK);
    let results = bulk["results"].as_array().unwrap_or_else(|| panic!("no results in {bulk}"));
    let statuses: Vec<u64> = results.iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 404, 404]);
    assert_eq!(visible(&fx.node, &fx.boss).await, ["m1", "m2", "o", "t"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_reading_only_its_own_contacts_sees_no_others_and_may_not_create() {
    let fx = tree().await;
    fx.share_middle().await;
    fx.give(&fx.mid2, "Reader", json!({"read": "own"})).await;
    assert_eq!(visible(&fx.node, &fx.mid2).await, ["m2"], "read \"own\" hides the peers' and lower records");
    let body = json!({"firstName": "N", "lastName": "new", "email": "new@contacts.example"});
    denies(&answer!(fx.node.post("/crm/contacts", &body, Some(&fx.mid2.token)), FORBIDDEN), "create");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_without_contacts_may_not_list_or_read_them() {
    let fx = tree().await;
    fx.give(&fx.mid2, "Blind", json!({})).await;
    answer!(fx.node.get("/crm/contacts", Some(&fx.mid2.token)), FORBIDDEN);
    answer!(fx.node.get(&contact_path(&fx.m2), Some(&fx.mid2.token)), FORBIDDEN);
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
