//! Desk tickets: SLA due dates per priority, links to CRM contacts and accounts as the caller sees
//! them now, status transitions and the hold clock, activity and comments, a permission matrix over
//! profiles and the role tree, list filters, sorting and paging, and bad input that writes nothing.

mod common;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use common::answers::{answer, fields, id, named, read};
use common::crm::{member, role, Member};
use common::TestNode;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Ticket statuses in the order a ticket moves through them (how `sort=status` orders them).
const TICKET_WORKFLOW: [&str; 4] = ["open", "onHold", "escalated", "closed"];
const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";

/// Asserts that a 403 names the action and the tickets module.
fn denies(problem: &Value, action: &str) {
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(action) && detail.contains("tickets"), "{action} on tickets not named in {problem}");
}
/// The ids of a page's items.
fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).iter().map(id).collect()
}

/// An RFC 3339 instant of an answer.
fn time(value: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap_or_else(|| panic!("not a time: {value}")))
        .unwrap_or_else(|e| panic!("{value}: {e}"))
}

/// A valid ticket body with the fields of `extra`.
fn ticket(subject: &str, extra: Value) -> Value {
    let mut body = json!({"subject": subject, "description": format!("About {subject}")});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// Opens a ticket as `who`; checks the audit fields and answers the ticket.
async fn open(node: &TestNode, who: &Member, body: Value) -> Value {
    let at = format!("POST /desk/tickets {body}");
    let answer = read(node.post("/desk/tickets", &body, Some(&who.token)).await, StatusCode::CREATED, &at).await;
    for field in ["id", "ownerId", "createdBy", "modifiedBy", "createdAt", "updatedAt", "dueDate"] {
        assert!(answer[field].is_string(), "{field} missing in {answer}");
    }
    assert_eq!((&answer["createdBy"], &answer["modifiedBy"]), (&json!(who.id), &json!(who.id)), "{answer}");
    answer
}

/// PATCHes ticket `ticket` as `who`, expecting 200; answers the ticket.
async fn change(node: &TestNode, who: &Member, ticket: &str, body: Value) -> Value {
    let at = format!("PATCH {ticket} {body}");
    read(node.patch(&format!("/desk/tickets/{ticket}"), &body, Some(&who.token)).await, StatusCode::OK, &at).await
}

/// The ids `who` lists with `query` (up to 100).
async fn listed(node: &TestNode, who: &Member, query: &str) -> Vec<String> {
    ids(&node.get_json(&format!("/desk/tickets?limit=100&{query}"), Some(&who.token)).await)
}

/// The ticket total `who` lists.
async fn total(node: &TestNode, who: &Member) -> i64 {
    node.get_json("/desk/tickets?limit=1", Some(&who.token)).await["total"].as_i64().unwrap()
}

/// Sorted copy, for set comparisons.
fn set(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn contact(tag: &str) -> Value {
    json!({"firstName": "C", "lastName": tag, "email": format!("{tag}@contacts.example")})
}

fn account(name: &str) -> Value {
    json!({"name": name, "billingStreet": "1 Main St", "billingCity": "Lisbon"})
}

/// Creates a CRM record of `module` as `who`; answers its id.
async fn crm(node: &TestNode, who: &Member, module: &str, body: Value) -> String {
    id(&answer!(node.post(&format!("/crm/{module}"), &body, Some(&who.token)), CREATED))
}

/// A node with its platform administrator and a Standard user `me`.
async fn with_me() -> (TestNode, String, Member) {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    (node, admin, me)
}

/// A node with two Standard users, `me` and a stranger.
async fn me_and_stranger() -> (TestNode, Member, Member) {
    let (node, admin, me) = with_me().await;
    let stranger = member(&node, &admin, "stranger", None, None).await;
    (node, me, stranger)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_due_by_its_priority_and_starts_open_unlinked_and_not_overdue() {
    let (node, _, me) = with_me().await;
    // The SLA target per priority (medium when none is given).
    let hour = Duration::hours(1);
    for (priority, target) in
        [(Some("high"), hour * 8), (Some("medium"), hour * 24), (Some("low"), hour * 72), (None, hour * 24)]
    {
        let extra = priority.map_or(json!({}), |p| json!({"priority": p}));
        let answer = open(&node, &me, ticket("SLA", extra)).await;
        assert_eq!(answer["priority"], priority.unwrap_or("medium"), "{answer}");
        assert_eq!(
            (&answer["status"], &answer["ownerId"], &answer["overdue"]),
            (&json!("open"), &json!(me.id), &json!(false))
        );
        for empty in ["closedAt", "onHoldSince", "contact", "account", "contactId", "accountId", "classification"] {
            assert!(answer[empty].is_null(), "{empty} in {answer}");
        }
        let late = time(&answer["dueDate"]) - time(&answer["createdAt"]) - target;
        assert!(late.num_seconds().abs() <= 5, "{priority:?}: due off by {late} in {answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_keeps_the_due_date_and_the_optional_fields_it_is_given() {
    let (node, _, me) = with_me().await;
    let given = ticket(
        "Given",
        json!({"priority": "high", "dueDate": "2031-05-06T07:08:09Z", "channel": "chat",
        "classification": "problem", "category": "Hardware", "subcategory": "Printers", "language": "pt",
        "productName": "P-100", "email": "client@example.org", "phone": "+351 210 000 000"}),
    );
    let answer = open(&node, &me, given.clone()).await;
    assert_eq!(time(&answer["dueDate"]), time(&json!("2031-05-06T07:08:09Z")), "{answer}");
    for field in ["channel", "classification", "category", "subcategory", "language", "productName", "email", "phone"] {
        assert_eq!(answer[field], given[field], "{field}");
    }
    assert_eq!(node.get_json(&path(&id(&answer)), Some(&me.token)).await, answer);
}

/// A ticket of `me` linked to their contact C Smith and their account Acme Ltd; answers the
/// contact's id, the account's id and the ticket.
async fn linked_to_smith_and_acme(node: &TestNode, me: &Member) -> (String, String, Value) {
    let person = crm(node, me, "contacts", contact("Smith")).await;
    let company = crm(node, me, "accounts", account("Acme Ltd")).await;
    let linked = open(node, me, ticket("Linked", json!({"contactId": person, "accountId": company}))).await;
    (person, company, linked)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_ticket_shows_its_contact_and_account_by_name() {
    let (node, _, me) = with_me().await;
    let (person, company, linked) = linked_to_smith_and_acme(&node, &me).await;
    assert_eq!(linked["contact"], json!({"id": person, "status": "visible", "name": "C Smith"}), "{linked}");
    assert_eq!(linked["account"], json!({"id": company, "status": "visible", "name": "Acme Ltd"}), "{linked}");
    assert_eq!((&linked["contactId"], &linked["accountId"]), (&json!(person), &json!(company)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_contact_or_account_shows_its_new_name_on_the_ticket_and_in_lists() {
    let (node, _, me) = with_me().await;
    let (person, company, linked) = linked_to_smith_and_acme(&node, &me).await;
    answer!(node.patch(&format!("/crm/contacts/{person}"), &json!({"lastName": "Jones"}), Some(&me.token)), OK);
    answer!(node.patch(&format!("/crm/accounts/{company}"), &json!({"name": "Acme Group"}), Some(&me.token)), OK);
    let now = node.get_json(&path(&id(&linked)), Some(&me.token)).await;
    assert_eq!((&now["contact"]["name"], &now["account"]["name"]), (&json!("C Jones"), &json!("Acme Group")), "{now}");
    let page = node.get_json(&format!("/desk/tickets?contactId={person}"), Some(&me.token)).await;
    assert_eq!(ids(&page), [id(&linked)]);
    assert_eq!(page["items"][0]["contact"]["name"], "C Jones", "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_contact_shows_as_missing_cannot_be_linked_anew_and_its_link_clears() {
    let (node, _, me) = with_me().await;
    let (person, _, linked) = linked_to_smith_and_acme(&node, &me).await;
    let t = id(&linked);
    answer!(node.delete(&format!("/crm/contacts/{person}"), Some(&me.token)), NO_CONTENT);
    let now = node.get_json(&path(&t), Some(&me.token)).await;
    assert_eq!(now["contact"], json!({"id": person, "status": "missing"}), "{now}");
    assert_eq!(now["account"]["status"], "visible", "{now}");
    let relink = json!({"contactId": person});
    named(&answer!(node.patch(&path(&t), &relink, Some(&me.token)), UNPROCESSABLE_ENTITY), "contactId");
    let cleared = change(&node, &me, &t, json!({"contactId": null})).await;
    assert!(cleared["contact"].is_null() && cleared["contactId"].is_null(), "{cleared}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_references_only_contacts_and_accounts_that_exist_and_its_caller_sees() {
    let (node, me, stranger) = me_and_stranger().await;
    let mine = open(&node, &me, ticket("Mine", json!({}))).await;
    let before = total(&node, &me).await;
    let theirs = crm(&node, &stranger, "contacts", contact("Hidden")).await;
    let their_account = crm(&node, &stranger, "accounts", account("Hidden Co")).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for (field, value) in
        [("contactId", &theirs), ("accountId", &their_account), ("contactId", &unknown), ("accountId", &unknown)]
    {
        let body = ticket("Peek", json!({field: value}));
        named(&answer!(node.post("/desk/tickets", &body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
        let link = json!({field: value});
        named(&answer!(node.patch(&path(&id(&mine)), &link, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
    }
    assert_eq!(total(&node, &me).await, before);
    assert_eq!(node.get_json(&path(&id(&mine)), Some(&me.token)).await, mine);
    // The owner of the contact may link it.
    let own = open(&node, &stranger, ticket("Theirs", json!({"contactId": theirs}))).await;
    assert_eq!(own["contact"]["name"], "C Hidden", "{own}");
}

/// A node with a Standard user `me` and their high-priority ticket.
async fn one_ticket() -> (TestNode, Member, Value) {
    let (node, _, me) = with_me().await;
    let created = open(&node, &me, ticket("Broken screen", json!({"priority": "high"}))).await;
    (node, me, created)
}

/// Moves ticket `t` through `statuses` (with a due date on the move to escalated), expecting 200s.
async fn moves(node: &TestNode, me: &Member, t: &str, statuses: &[&str]) {
    for status in statuses {
        let mut body = json!({"status": status});
        if *status == "escalated" {
            body["dueDate"] = json!("2030-01-01T00:00:00Z");
        }
        change(node, me, t, body).await;
    }
}

/// Three comments on ticket `t` (public by default, internal, public); answers them.
async fn three_comments(node: &TestNode, me: &Member, t: &str) -> Vec<Value> {
    let mut comments = Vec::new();
    for (text, public) in [("First look", None), ("Internal note", Some(false)), ("Fixed", Some(true))] {
        let mut body = json!({"body": text});
        if let Some(public) = public {
            body["public"] = json!(public);
        }
        let comment = answer!(node.post(&format!("/desk/tickets/{t}/comments"), &body, Some(&me.token)), CREATED);
        assert_eq!(
            (&comment["ticketId"], &comment["authorId"], &comment["body"]),
            (&json!(t), &json!(me.id), &json!(text))
        );
        assert!(comment["public"].is_boolean() && comment["createdAt"].is_string(), "{comment}");
        if let Some(public) = public {
            assert_eq!(comment["public"], public, "{comment}");
        }
        comments.push(comment);
    }
    comments
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_hold_the_due_date_stands_and_resuming_moves_it_by_the_time_held() {
    let (node, me, created) = one_ticket().await;
    let (t, due0) = (id(&created), time(&created["dueDate"]));
    let held = change(&node, &me, &t, json!({"status": "onHold"})).await;
    assert_eq!(held["status"], "onHold");
    let since = time(&held["onHoldSince"]);
    assert_eq!(time(&held["dueDate"]), due0, "{held}");
    assert!(!held["overdue"].as_bool().unwrap(), "{held}");
    // No sleep: the due date moves by the time held, from the hold's start to the moment of the
    // resume, which lies between sending the request and its answer (same host clock). The
    // arithmetic itself is unit-tested with explicit instants in desk::sla.
    let sent = Utc::now();
    let resumed = change(&node, &me, &t, json!({"status": "open"})).await;
    let answered = Utc::now();
    assert!(resumed["onHoldSince"].is_null(), "{resumed}");
    let moved = time(&resumed["dueDate"]) - due0;
    assert!(moved > Duration::zero(), "due did not move: {resumed}");
    let (earliest, latest) = (sent.signed_duration_since(since), answered.signed_duration_since(since));
    assert!(earliest <= moved && moved <= latest, "moved {moved}, resumed between {sent} and {answered}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_date_given_while_leaving_hold_wins() {
    let (node, me, created) = one_ticket().await;
    let t = id(&created);
    change(&node, &me, &t, json!({"status": "onHold"})).await;
    let escalated = change(&node, &me, &t, json!({"status": "escalated", "dueDate": "2030-01-01T00:00:00Z"})).await;
    assert_eq!(time(&escalated["dueDate"]), time(&json!("2030-01-01T00:00:00Z")), "{escalated}");
    assert!(escalated["onHoldSince"].is_null() && escalated["closedAt"].is_null(), "{escalated}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_sets_closed_at_and_ends_a_hold_and_a_closed_ticket_reopens_only_to_open() {
    let (node, me, created) = one_ticket().await;
    let t = id(&created);
    change(&node, &me, &t, json!({"status": "onHold"})).await;
    let closed = change(&node, &me, &t, json!({"status": "closed"})).await;
    assert!(closed["closedAt"].is_string() && closed["onHoldSince"].is_null(), "{closed}");
    assert!(!closed["overdue"].as_bool().unwrap(), "{closed}");
    for target in ["onHold", "escalated"] {
        let answer =
            answer!(node.patch(&format!("/desk/tickets/{t}"), &json!({"status": target}), Some(&me.token)), CONFLICT);
        let detail = answer["detail"].as_str().unwrap();
        assert!(fields(&answer) == ["status"] && detail.contains("closed") && detail.contains(target), "{answer}");
    }
    assert_eq!(node.get_json(&format!("/desk/tickets/{t}"), Some(&me.token)).await, closed);
    let reopened = change(&node, &me, &t, json!({"status": "open"})).await;
    assert!(reopened["closedAt"].is_null() && reopened["status"] == "open", "{reopened}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_list_oldest_first_and_page() {
    let (node, me, created) = one_ticket().await;
    let t = id(&created);
    let comments = three_comments(&node, &me, &t).await;
    let page = node.get_json(&format!("/desk/tickets/{t}/comments"), Some(&me.token)).await;
    assert_eq!(ids(&page), comments.iter().map(id).collect::<Vec<_>>());
    assert_eq!(page["total"], 3);
    let second = node.get_json(&format!("/desk/tickets/{t}/comments?page=2&limit=1"), Some(&me.token)).await;
    assert_eq!(
        (ids(&second), &second["total"], &second["page"], &second["limit"]),
        (vec![id(&comments[1])], &json!(3), &json!(2), &json!(1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_lists_the_creation_every_status_move_the_update_and_the_comments_in_order() {
    let (node, me, created) = one_ticket().await;
    let t = id(&created);
    moves(&node, &me, &t, &["onHold", "open", "onHold", "escalated", "onHold", "closed", "open"]).await;
    change(&node, &me, &t, json!({"subject": "Cracked screen", "priority": "low"})).await;
    let comments = three_comments(&node, &me, &t).await;
    let activity = node.get_json(&format!("/desk/tickets/{t}/activity?limit=100"), Some(&me.token)).await;
    let entries = activity["items"].as_array().unwrap();
    assert_eq!(activity["total"], entries.len(), "{activity}");
    assert_eq!(entries[0]["kind"], "created", "{activity}");
    for entry in entries {
        assert_eq!((&entry["ticketId"], &entry["actorId"]), (&json!(t), &json!(me.id)), "{entry}");
        assert!(entry["id"].is_string() && entry["createdAt"].is_string(), "{entry}");
    }
    let of = |kind: &str| entries.iter().filter(|e| e["kind"] == kind).collect::<Vec<_>>();
    let status = |e: &&Value| {
        let status = &e["details"]["status"];
        (status["before"].as_str().unwrap().to_string(), status["after"].as_str().unwrap().to_string())
    };
    let expected = [
        ("open", "onHold"),
        ("onHold", "open"),
        ("open", "onHold"),
        ("onHold", "escalated"),
        ("escalated", "onHold"),
        ("onHold", "closed"),
        ("closed", "open"),
    ];
    let moved: Vec<_> = of("statusChanged").iter().map(status).collect();
    assert_eq!(moved, expected.map(|(a, b)| (a.to_string(), b.to_string())), "{activity}");
    let update = of("updated")
        .into_iter()
        .find(|e| e["details"].get("subject").is_some())
        .unwrap_or_else(|| panic!("{activity}"));
    assert_eq!(update["details"]["subject"], json!({"before": "Broken screen", "after": "Cracked screen"}), "{update}");
    assert_eq!(update["details"]["priority"], json!({"before": "high", "after": "low"}), "{update}");
    assert!(update["details"].get("description").is_none(), "{update}");
    let commented: Vec<_> =
        of("commented").iter().map(|e| (e["details"]["commentId"].clone(), e["details"]["public"].clone())).collect();
    let expected: Vec<_> = comments.iter().map(|c| (c["id"].clone(), c["public"].clone())).collect();
    assert_eq!(commented, expected, "{activity}");
    let kinds: Vec<_> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(&kinds[kinds.len() - 3..], ["commented"; 3], "{activity}");
    let position = |id: &Value| entries.iter().position(|e| e["id"] == *id).unwrap();
    assert!(position(&update["id"]) > position(&of("statusChanged").last().unwrap()["id"]), "{activity}");
    let paged = node.get_json(&format!("/desk/tickets/{t}/activity?page=1&limit=2"), Some(&me.token)).await;
    assert_eq!(ids(&paged), entries[..2].iter().map(id).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_ticket_is_404_on_every_endpoint_and_gone_from_the_list() {
    let (node, me, created) = one_ticket().await;
    let t = id(&created);
    answer!(node.delete(&format!("/desk/tickets/{t}"), Some(&me.token)), NO_CONTENT);
    for path in
        [format!("/desk/tickets/{t}"), format!("/desk/tickets/{t}/comments"), format!("/desk/tickets/{t}/activity")]
    {
        answer!(node.get(&path, Some(&me.token)), NOT_FOUND);
    }
    answer!(node.patch(&format!("/desk/tickets/{t}"), &json!({"subject": "x"}), Some(&me.token)), NOT_FOUND);
    answer!(node.post(&format!("/desk/tickets/{t}/comments"), &json!({"body": "x"}), Some(&me.token)), NOT_FOUND);
    answer!(node.delete(&format!("/desk/tickets/{t}"), Some(&me.token)), NOT_FOUND);
    assert_eq!(total(&node, &me).await, 0);
}

/// A role tree: `mgr` manages `rep1` and `rep2` (siblings, Standard); `boss` has the Administrator
/// profile; `reader` may only read tickets. Each has a ticket (`rd` made by `boss` for `reader`).
struct Matrix {
    node: TestNode,
    admin: String,
    rep_role: Value,
    boss: Member,
    mgr: Member,
    rep1: Member,
    rep2: Member,
    reader: Member,
    r1: String,
    r2: String,
    m: String,
    b: String,
    rd: String,
}

async fn matrix() -> Matrix {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let manager_role = role(&node, &admin, "Manager", None).await;
    let rep_role = role(&node, &admin, "Rep", Some(&manager_role)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let mgr = member(&node, &admin, "mgr", Some(&manager_role), None).await;
    let rep1 = member(&node, &admin, "rep1", Some(&rep_role), None).await;
    let rep2 = member(&node, &admin, "rep2", Some(&rep_role), None).await;
    let permissions = json!({"tickets": {"create": false, "read": true, "update": false, "delete": false}});
    let reading = id(&answer!(
        node.post("/crm/profiles", &json!({"name": "Reader", "permissions": permissions}), Some(&admin)),
        CREATED
    ));
    let reader = member(&node, &admin, "reader", None, Some(&reading)).await;
    let r1 = id(&open(&node, &rep1, ticket("r1", json!({}))).await);
    let r2 = id(&open(&node, &rep2, ticket("r2", json!({}))).await);
    let m = id(&open(&node, &mgr, ticket("m", json!({}))).await);
    let b = id(&open(&node, &boss, ticket("b", json!({}))).await);
    let rd = open(&node, &boss, ticket("rd", json!({"ownerId": reader.id}))).await;
    assert_eq!((&rd["ownerId"], &rd["createdBy"]), (&json!(reader.id), &json!(boss.id)));
    let rd = id(&rd);
    Matrix { node, admin, rep_role, boss, mgr, rep1, rep2, reader, r1, r2, m, b, rd }
}

/// The path of a ticket.
fn path(t: &str) -> String {
    format!("/desk/tickets/{t}")
}

/// A change of subject.
fn edit() -> Value {
    json!({"subject": "Edited"})
}

/// A ticket of `boss` for `rep1` linking a contact of `rep2`; answers the contact and the ticket.
async fn linked_to_a_siblings_contact(fx: &Matrix) -> (String, String) {
    let secret = crm(&fx.node, &fx.rep2, "contacts", contact("Secret")).await;
    let body = ticket("Linked", json!({"ownerId": fx.rep1.id, "contactId": secret}));
    (secret.clone(), id(&open(&fx.node, &fx.boss, body).await))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_lists_show_own_tickets_those_owned_below_and_all_to_the_administrator() {
    let Matrix { node, boss, mgr, rep1, reader, r1, r2, m, b, rd, .. } = matrix().await;
    assert_eq!(listed(&node, &rep1, "").await, [r1.as_str()]);
    assert_eq!(set(listed(&node, &mgr, "").await), set(vec![r1.clone(), r2.clone(), m.clone()]));
    assert_eq!(
        set(listed(&node, &boss, "").await),
        set(vec![r1.clone(), r2.clone(), m.clone(), b.clone(), rd.clone()])
    );
    assert_eq!(listed(&node, &reader, "").await, [rd.as_str()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invisible_ticket_is_404_on_every_endpoint() {
    let Matrix { node, mgr, rep1, reader, r2, m, b, rd, .. } = matrix().await;
    // A sibling's, the role above's, unrelated ones.
    for t in [&r2, &m, &b, &rd] {
        answer!(node.get(&path(t), Some(&rep1.token)), NOT_FOUND);
        answer!(node.patch(&path(t), &edit(), Some(&rep1.token)), NOT_FOUND);
        answer!(node.delete(&path(t), Some(&rep1.token)), NOT_FOUND);
        answer!(node.post(&format!("{}/comments", path(t)), &json!({"body": "hi"}), Some(&rep1.token)), NOT_FOUND);
        answer!(node.get(&format!("{}/comments", path(t)), Some(&rep1.token)), NOT_FOUND);
        answer!(node.get(&format!("{}/activity", path(t)), Some(&rep1.token)), NOT_FOUND);
    }
    answer!(node.get(&path(&m), Some(&reader.token)), NOT_FOUND);
    answer!(node.get(&path(&rd), Some(&mgr.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standard_reads_the_tickets_below_but_updates_and_deletes_only_its_own() {
    let Matrix { node, boss, mgr, rep1, r1, m, .. } = matrix().await;
    assert_eq!(node.get_json(&path(&r1), Some(&mgr.token)).await["ownerId"], json!(rep1.id));
    denies(&answer!(node.patch(&path(&r1), &edit(), Some(&mgr.token)), FORBIDDEN), "update");
    denies(&answer!(node.delete(&path(&r1), Some(&mgr.token)), FORBIDDEN), "delete");
    assert_eq!(node.get_json(&path(&r1), Some(&rep1.token)).await["subject"], "r1");
    assert_eq!(change(&node, &mgr, &m, edit()).await["modifiedBy"], json!(mgr.id));
    let edited = change(&node, &boss, &r1, edit()).await;
    assert_eq!((&edited["modifiedBy"], &edited["ownerId"]), (&json!(boss.id), &json!(rep1.id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_profile_cannot_create_update_or_delete_even_its_own_ticket() {
    let Matrix { node, boss, reader, rd, .. } = matrix().await;
    let before = total(&node, &boss).await;
    denies(&answer!(node.post("/desk/tickets", &ticket("no", json!({})), Some(&reader.token)), FORBIDDEN), "create");
    denies(&answer!(node.patch(&path(&rd), &edit(), Some(&reader.token)), FORBIDDEN), "update");
    denies(&answer!(node.delete(&path(&rd), Some(&reader.token)), FORBIDDEN), "delete");
    assert_eq!(node.get_json(&path(&rd), Some(&reader.token)).await["subject"], "rd");
    assert_eq!(total(&node, &boss).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_owner_must_be_someone_the_caller_sees() {
    let Matrix { node, boss, mgr, rep1, rep2, r1, .. } = matrix().await;
    let before = total(&node, &boss).await;
    for owner in [&mgr.id, &rep2.id, &boss.id, &uuid::Uuid::new_v4().to_string()] {
        let body = ticket("Upward", json!({"ownerId": owner}));
        named(&answer!(node.post("/desk/tickets", &body, Some(&rep1.token)), UNPROCESSABLE_ENTITY), "ownerId");
        let patch = json!({"ownerId": owner});
        named(&answer!(node.patch(&path(&r1), &patch, Some(&rep1.token)), UNPROCESSABLE_ENTITY), "ownerId");
    }
    assert_eq!(total(&node, &boss).await, before);
    let assigned = open(&node, &mgr, ticket("Assigned", json!({"ownerId": rep1.id}))).await;
    assert_eq!((&assigned["ownerId"], &assigned["createdBy"]), (&json!(rep1.id), &json!(mgr.id)));
    answer!(node.get(&path(&id(&assigned)), Some(&rep1.token)), OK);
    assert_eq!(listed(&node, &mgr, &format!("ownerId={}", rep1.id)).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_contact_the_caller_cannot_see_shows_as_hidden_and_cannot_be_linked_anew() {
    let fx = matrix().await;
    let (secret, linked) = linked_to_a_siblings_contact(&fx).await;
    let Matrix { node, mgr, rep1, .. } = fx;
    let seen = node.get_json(&path(&linked), Some(&rep1.token)).await;
    assert_eq!(seen["contact"], json!({"id": secret, "status": "hidden"}), "{seen}");
    assert_eq!(node.get_json(&path(&linked), Some(&mgr.token)).await["contact"]["name"], "C Secret");
    let body = ticket("Copy", json!({"contactId": secret}));
    named(&answer!(node.post("/desk/tickets", &body, Some(&rep1.token)), UNPROCESSABLE_ENTITY), "contactId");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_sharing_shows_siblings_tickets_and_contacts_but_not_for_writing() {
    let fx = matrix().await;
    let (_, linked) = linked_to_a_siblings_contact(&fx).await;
    let Matrix { node, admin, rep_role, rep1, r2, m, .. } = fx;
    let rep_role_path = format!("/crm/roles/{}", rep_role["id"].as_str().unwrap());
    answer!(node.patch(&rep_role_path, &json!({"shareDataWithPeers": true}), Some(&admin)), OK);
    assert!(listed(&node, &rep1, "").await.contains(&r2));
    answer!(node.get(&path(&r2), Some(&rep1.token)), OK);
    denies(&answer!(node.patch(&path(&r2), &edit(), Some(&rep1.token)), FORBIDDEN), "update");
    denies(&answer!(node.delete(&path(&r2), Some(&rep1.token)), FORBIDDEN), "delete");
    assert_eq!(node.get_json(&path(&linked), Some(&rep1.token)).await["contact"]["status"], "visible");
    answer!(node.get(&path(&m), Some(&rep1.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_its_owner_deletes_is_gone_for_everyone() {
    let Matrix { node, boss, mgr, rep1, r1, .. } = matrix().await;
    answer!(node.delete(&path(&r1), Some(&rep1.token)), NO_CONTENT);
    for who in [&rep1, &mgr, &boss] {
        answer!(node.get(&path(&r1), Some(&who.token)), NOT_FOUND);
        assert!(!listed(&node, who, "").await.contains(&r1));
    }
}

/// Tickets to list: seven of `me`, in order of creation — `jam` (high, linked to the contact
/// `person`), `login` (low, linked to the account `company`, "PRINTER" in its description), `late`
/// (past due), `done` (past due, high, closed), `late_hold` (past due, low, then on hold), `paused`
/// (due in an hour, on hold) and `escalated` — and one of `other`, about a printer.
struct Queue {
    node: TestNode,
    me: Member,
    other: Member,
    person: String,
    company: String,
    jam: String,
    login: String,
    late: String,
    done: String,
    late_hold: String,
    paused: String,
    escalated: String,
    /// The answers that opened `late` and closed `done`.
    late_opened: Value,
    done_closed: Value,
}

async fn queue() -> Queue {
    let (node, me, other) = me_and_stranger().await;
    let past = "2020-01-01T00:00:00Z";
    let person = crm(&node, &me, "contacts", contact("Filter")).await;
    let company = crm(&node, &me, "accounts", account("Filter Co")).await;
    let mine = |body: Value| open(&node, &me, body);
    let jam = id(&mine(ticket("Printer jam", json!({"priority": "high", "contactId": person}))).await);
    let about = "Cannot reach the PRINTER portal";
    let login = json!({"subject": "Login broken", "description": about, "priority": "low", "accountId": company});
    let login = id(&mine(login).await);
    let late_opened = mine(ticket("Invoice question", json!({"dueDate": past}))).await;
    let done = id(&mine(ticket("Done deal", json!({"dueDate": past, "priority": "high"}))).await);
    let done_closed = change(&node, &me, &done, json!({"status": "closed"})).await;
    let late_hold = id(&mine(ticket("Zebra late hold", json!({"dueDate": past, "priority": "low"}))).await);
    change(&node, &me, &late_hold, json!({"status": "onHold"})).await;
    let soon = (Utc::now() + Duration::hours(1)).to_rfc3339();
    let paused = id(&mine(ticket("Apple paused", json!({"dueDate": soon}))).await);
    change(&node, &me, &paused, json!({"status": "onHold"})).await;
    let escalated = id(&mine(ticket("Escalated thing", json!({"status": "escalated"}))).await);
    open(&node, &other, ticket("Printer elsewhere", json!({}))).await;
    let late = id(&late_opened);
    Queue {
        node,
        me,
        other,
        person,
        company,
        jam,
        login,
        late,
        done,
        late_hold,
        paused,
        escalated,
        late_opened,
        done_closed,
    }
}

impl Queue {
    /// The tickets of `me` in order of creation.
    fn all(&self) -> Vec<String> {
        [&self.jam, &self.login, &self.late, &self.done, &self.late_hold, &self.paused, &self.escalated]
            .map(String::clone)
            .to_vec()
    }

    /// The page `me` lists with `query`.
    async fn page(&self, query: &str) -> Value {
        self.node.get_json(&format!("/desk/tickets?{query}"), Some(&self.me.token)).await
    }

    /// The values of `field` on the page `me` lists with `query`.
    async fn column(&self, query: &str, field: &str) -> Vec<Value> {
        let page = self.page(query).await;
        page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items in {page}"))
            .iter()
            .map(|t| t[field].clone())
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_list_oldest_first_by_default_and_newest_first_with_a_minus() {
    let fx = queue().await;
    let all = fx.all();
    assert_eq!(listed(&fx.node, &fx.me, "").await, all);
    assert_eq!(listed(&fx.node, &fx.me, "sort=createdAt").await, all);
    assert_eq!(listed(&fx.node, &fx.me, "sort=-createdAt").await, all.iter().rev().cloned().collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_past_due_is_overdue_unless_closed_or_put_on_hold_before_it_fell_due() {
    let fx = queue().await;
    assert!(fx.late_opened["overdue"].as_bool().unwrap(), "{}", fx.late_opened);
    assert!(!fx.done_closed["overdue"].as_bool().unwrap(), "{}", fx.done_closed);
    // That a hold begun before the due time keeps it so once the due time passes is unit-tested
    // in desk::sla with explicit instants, not sleeps.
    let view = fx.node.get_json(&path(&fx.paused), Some(&fx.me.token)).await;
    assert!(!view["overdue"].as_bool().unwrap(), "{view}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_lists_filter_by_status_priority_text_overdue_owner_and_links() {
    let fx = queue().await;
    let (all, person, company) = (fx.all(), &fx.person, &fx.company);
    let Queue { jam, login, late, done, late_hold, paused, escalated, .. } = &fx;
    let cases: Vec<(String, Vec<&String>)> = vec![
        ("status=onHold".into(), vec![late_hold, paused]),
        ("status=closed".into(), vec![done]),
        ("status=escalated".into(), vec![escalated]),
        ("priority=high".into(), vec![jam, done]),
        ("priority=low".into(), vec![login, late_hold]),
        ("search=printer".into(), vec![jam, login]),
        ("search=INVOICE".into(), vec![late]),
        ("overdue=true".into(), vec![late, late_hold]),
        ("overdue=false".into(), vec![jam, login, done, paused, escalated]),
        (format!("ownerId={}", fx.me.id), all.iter().collect()),
        (format!("contactId={person}"), vec![jam]),
        (format!("accountId={company}"), vec![login]),
        ("status=onHold&overdue=false&search=apple".into(), vec![paused]),
        (format!("ownerId={}", fx.other.id), vec![]),
    ];
    for (query, expected) in cases {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(listed(&fx.node, &fx.me, &query).await, expected, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_lists_sort_by_subject_and_due_date_both_ways_and_by_last_change() {
    let fx = queue().await;
    let text = |values: Vec<Value>| values.iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>();
    let by_subject = text(fx.column("sort=subject", "subject").await);
    let mut expected = by_subject.clone();
    expected.sort();
    assert_eq!(by_subject, expected);
    let descending = text(fx.column("sort=-subject", "subject").await);
    assert_eq!(descending, by_subject.iter().rev().cloned().collect::<Vec<_>>());
    let ascending: Vec<_> = fx.column("sort=dueDate", "dueDate").await.iter().map(time).collect();
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    let falling: Vec<_> = fx.column("sort=-dueDate", "dueDate").await.iter().map(time).collect();
    assert!(falling.windows(2).all(|w| w[0] >= w[1]), "{falling:?}");
    assert_eq!(ids(&fx.page("sort=-updatedAt&limit=1").await), [fx.escalated.as_str()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_lists_sort_priority_by_urgency_and_status_in_workflow_order() {
    let fx = queue().await;
    for (key, order) in [("priority", ["low", "medium", "high"].as_slice()), ("status", &TICKET_WORKFLOW)] {
        let mut ranked = order.to_vec();
        for sort in [key.to_string(), format!("-{key}")] {
            let values = fx.column(&format!("sort={sort}"), key).await;
            let mut runs: Vec<&str> = values.iter().map(|v| v.as_str().unwrap()).collect();
            runs.dedup();
            let expected: Vec<&str> = ranked.iter().copied().filter(|value| runs.contains(value)).collect();
            assert_eq!(runs, expected, "{sort}: {values:?}");
            ranked.reverse();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_lists_page_and_total_the_whole_filtered_list() {
    let fx = queue().await;
    let all = fx.all();
    let page = fx.page("page=2&limit=3").await;
    assert_eq!((&page["total"], &page["page"], &page["limit"]), (&json!(7), &json!(2), &json!(3)), "{page}");
    assert_eq!(ids(&page), all[3..6]);
    assert_eq!(ids(&fx.page("page=3&limit=3").await), all[6..]);
    let beyond = fx.page("page=9&limit=3").await;
    assert_eq!((ids(&beyond).len(), &beyond["total"]), (0, &json!(7)));
    let filtered = fx.page("search=printer&limit=1").await;
    assert_eq!((ids(&filtered), &filtered["total"]), (vec![fx.jam.clone()], &json!(2)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_ticket_list_parameter_is_422_naming_it() {
    let (node, _, me) = with_me().await;
    for query in [
        "sort=owner",
        "sort=-",
        "status=pending",
        "priority=urgent",
        "overdue=maybe",
        "limit=0",
        "limit=101",
        "page=0",
        "ownerId=x",
        "contactId=nope",
        "accountId=1",
        "limit=ten",
    ] {
        let answer = answer!(node.get(&format!("/desk/tickets?{query}"), Some(&me.token)), UNPROCESSABLE_ENTITY);
        named(&answer, query.split('=').next().unwrap());
    }
}

/// A Standard user `me` with one ticket, and what proves that refused requests wrote nothing:
/// the ticket as read, its activity total and the ticket total `boss` (Administrator) lists.
struct Untouched {
    node: TestNode,
    boss: Member,
    me: Member,
    path: String,
    original: Value,
    activity: Value,
    before: i64,
}

async fn untouched() -> Untouched {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let me = member(&node, &admin, "me", None, None).await;
    let path = format!("/desk/tickets/{}", id(&open(&node, &me, ticket("Valid", json!({}))).await));
    let original = node.get_json(&path, Some(&me.token)).await;
    let activity = node.get_json(&format!("{path}/activity"), Some(&me.token)).await["total"].clone();
    let before = total(&node, &boss).await;
    Untouched { node, boss, me, path, original, activity, before }
}

impl Untouched {
    /// Asserts that no ticket, change, comment or activity was written.
    async fn assert_untouched(&self) {
        let (node, path, token) = (&self.node, &self.path, Some(self.me.token.as_str()));
        assert_eq!(total(node, &self.boss).await, self.before);
        assert_eq!(node.get_json(path, token).await, self.original);
        assert_eq!(node.get_json(&format!("{path}/comments"), token).await["total"], 0);
        assert_eq!(node.get_json(&format!("{path}/activity"), token).await["total"], self.activity);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_ticket_field_is_422_naming_it_on_create_and_on_update() {
    let fx = untouched().await;
    let long = "x".repeat(201);
    // (body, field named) for create; each also as a PATCH unless the field is only required on create.
    let cases = [
        (json!({}), "subject"),
        (json!({"description": "no subject"}), "subject"),
        (json!({"subject": "no description"}), "description"),
        (ticket("", json!({})), "subject"),
        (ticket("   ", json!({})), "subject"),
        (ticket(&long, json!({})), "subject"),
        (json!({"subject": 123, "description": "d"}), "subject"),
        (json!({"subject": "s", "description": ["d"]}), "description"),
        (json!({"subject": null, "description": "d"}), "subject"),
        (ticket("s", json!({"status": "pending"})), "status"),
        (ticket("s", json!({"status": null})), "status"),
        (ticket("s", json!({"priority": "urgent"})), "priority"),
        (ticket("s", json!({"priority": 3})), "priority"),
        (ticket("s", json!({"classification": "bug"})), "classification"),
        (ticket("s", json!({"channel": "fax"})), "channel"),
        (ticket("s", json!({"email": "not-an-email"})), "email"),
        (ticket("s", json!({"contactId": "nope"})), "contactId"),
        (ticket("s", json!({"accountId": 5})), "accountId"),
        (ticket("s", json!({"ownerId": "x"})), "ownerId"),
        (ticket("s", json!({"ownerId": uuid::Uuid::new_v4()})), "ownerId"),
        (ticket("s", json!({"dueDate": "tomorrow"})), "dueDate"),
        (ticket("s", json!({"dueDate": 1_700_000_000})), "dueDate"),
        (ticket("s", json!({"dueDate": "-5000-01-01T00:00:00Z"})), "dueDate"),
        (ticket("s", json!({"dueDate": "+262142-12-31T00:00:00Z"})), "dueDate"),
    ];
    let (node, me) = (&fx.node, &fx.me);
    for (body, field) in &cases {
        named(&answer!(node.post("/desk/tickets", body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
        // The same value as a PATCH of the existing ticket.
        if let Some(value) = body.get(*field) {
            let patch = json!({*field: value});
            named(&answer!(node.patch(&fx.path, &patch, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
        }
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_is_400_another_media_type_415_and_no_token_401() {
    let fx = untouched().await;
    let node = &fx.node;
    for (content_type, text, status) in [
        ("application/json", "{\"subject\":", StatusCode::BAD_REQUEST),
        ("text/plain", "hi", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let request =
            node.http.post(node.url("/desk/tickets")).bearer_auth(&fx.me.token).header("content-type", content_type);
        let response = request.body(text).send().await.expect("request");
        read(response, status, text).await;
    }
    answer!(node.post("/desk/tickets", &ticket("anonymous", json!({})), None), UNAUTHORIZED);
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_comment_or_paging_parameter_is_422_naming_it() {
    let fx = untouched().await;
    let (node, me, path) = (&fx.node, &fx.me, &fx.path);
    for body in [
        json!({}),
        json!({"body": ""}),
        json!({"body": "  "}),
        json!({"body": null}),
        json!({"body": 5}),
        json!({"body": "x", "public": "yes"}),
    ] {
        let answer = answer!(node.post(&format!("{path}/comments"), &body, Some(&me.token)), UNPROCESSABLE_ENTITY);
        named(&answer, if body.get("public").is_some() { "public" } else { "body" });
    }
    for query in ["limit=0", "page=0", "limit=abc"] {
        let field = query.split('=').next().unwrap();
        named(&answer!(node.get(&format!("{path}/comments?{query}"), Some(&me.token)), UNPROCESSABLE_ENTITY), field);
        named(&answer!(node.get(&format!("{path}/activity?{query}"), Some(&me.token)), UNPROCESSABLE_ENTITY), field);
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_ticket_id_is_400_and_an_unknown_one_404_on_every_endpoint() {
    let fx = untouched().await;
    let (node, me) = (&fx.node, &fx.me);
    let unknown = format!("/desk/tickets/{}", uuid::Uuid::new_v4());
    for (bad, status) in [
        ("/desk/tickets/not-a-uuid", StatusCode::BAD_REQUEST),
        ("/desk/tickets/123", StatusCode::BAD_REQUEST),
        (unknown.as_str(), StatusCode::NOT_FOUND),
    ] {
        for method in [Method::GET, Method::DELETE] {
            read(node.send(method.clone(), bad, None, Some(&me.token)).await, status, &format!("{method} {bad}")).await;
        }
        read(node.patch(bad, &json!({"subject": "x"}), Some(&me.token)).await, status, &format!("PATCH {bad}")).await;
        for sub in ["comments", "activity"] {
            read(node.get(&format!("{bad}/{sub}"), Some(&me.token)).await, status, &format!("GET {bad}/{sub}")).await;
        }
        let comment = node.post(&format!("{bad}/comments"), &json!({"body": "x"}), Some(&me.token)).await;
        read(comment, status, &format!("POST {bad}/comments")).await;
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_that_is_not_an_object_is_422_and_never_read_as_the_fields_in_order() {
    let fx = untouched().await;
    let comments = format!("{}/comments", fx.path);
    for body in
        [json!([]), json!(["Listed", "As an array"]), json!(["Listed", true]), json!("x"), json!(null), json!(7)]
    {
        for (method, at) in
            [(Method::POST, "/desk/tickets"), (Method::PATCH, fx.path.as_str()), (Method::POST, &comments)]
        {
            let response = fx.node.send(method.clone(), at, Some(&body), Some(&fx.me.token)).await;
            read(response, StatusCode::UNPROCESSABLE_ENTITY, &format!("{method} {at} {body}")).await;
        }
    }
    fx.assert_untouched().await;
}
