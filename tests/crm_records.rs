//! CRM accounts, leads and deals: CRUD and uniqueness, the account tree, counts and guarded
//! deletes, lead conversion in one transaction, deal stages and the pipeline, a permission matrix
//! over profiles and the role tree, and bad input that must write nothing.

mod common;

use common::answers::{answer, fields, id, named, read};
use common::crm::{assign, member, profile, role, Member};
use common::TestNode;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";
const STANDARD: &str = "00000000-0000-4000-8000-000000000002";
/// The deal stages in pipeline order, with their default probabilities.
const STAGES: [(&str, i64); 8] = [
    ("Qualification", 10),
    ("Needs Analysis", 20),
    ("Value Proposition", 40),
    ("Identify Decision Makers", 60),
    ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90),
    ("Closed Won", 100),
    ("Closed Lost", 0),
];
/// The modules this file is about.
const MODULES: [&str; 3] = ["accounts", "leads", "deals"];
/// Every record module.
const ALL_MODULES: [&str; 4] = ["accounts", "contacts", "leads", "deals"];
/// The read-only conversion fields of a lead.
const CONVERTED: [&str; 4] = ["convertedContactId", "convertedAccountId", "convertedDealId", "convertedAt"];

/// Asserts that a 403 names the action and the module.
fn denies(problem: &Value, action: &str, module: &str) {
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(action) && detail.contains(module), "{action} on {module} not named in {problem}");
}

/// Creates a record of `module` as `who`; checks the audit fields and answers the record.
async fn create(node: &TestNode, who: &Member, module: &str, body: Value) -> Value {
    let at = format!("POST /crm/{module} {body}");
    let record =
        read(node.post(&format!("/crm/{module}"), &body, Some(&who.token)).await, StatusCode::CREATED, &at).await;
    for field in ["id", "ownerId", "createdBy", "modifiedBy", "createdAt", "updatedAt"] {
        assert!(record[field].is_string(), "{field} missing in {record}");
    }
    assert_eq!((&record["createdBy"], &record["modifiedBy"]), (&json!(who.id), &json!(who.id)), "{record}");
    record
}
/// The ids of a page's items.
fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).iter().map(id).collect()
}

/// The ids of the records of `module` `who` can list (up to 100).
async fn listed(node: &TestNode, who: &Member, module: &str) -> Vec<String> {
    ids(&node.get_json(&format!("/crm/{module}?limit=100"), Some(&who.token)).await)
}

/// The `total` of a list request.
async fn total(node: &TestNode, who: &Member, path: &str) -> i64 {
    node.get_json(path, Some(&who.token)).await["total"].as_i64().unwrap()
}

/// The totals of every module, as `who` lists them.
async fn totals(node: &TestNode, who: &Member) -> BTreeMap<&'static str, i64> {
    let mut totals = BTreeMap::new();
    for module in ALL_MODULES {
        totals.insert(module, total(node, who, &format!("/crm/{module}?limit=1")).await);
    }
    totals
}

/// A decimal answered as a string (or a number), in cents.
fn cents(value: &Value) -> i64 {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a decimal: {other}"),
    };
    (text.parse::<f64>().unwrap_or_else(|_| panic!("not a decimal: {text}")) * 100.0).round() as i64
}

/// `body` with the fields of `extra` set.
fn with(mut body: Value, extra: Value) -> Value {
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

fn account(name: &str) -> Value {
    json!({"name": name, "billingStreet": "1 Main St", "billingCity": "Lisbon"})
}

fn contact(tag: &str) -> Value {
    json!({"firstName": "C", "lastName": tag, "email": format!("{tag}@contacts.example")})
}

fn lead(tag: &str) -> Value {
    json!({
        "firstName": "L",
        "lastName": tag,
        "phone": "+351 210 000 000",
        "email": format!("{tag}@leads.example"),
        "company": format!("{tag} Corp"),
        "billingStreet": "2 Lead Rd",
        "billingCity": "Porto",
    })
}

fn deal(name: &str, account: &str, contact: &str) -> Value {
    json!({"name": name, "accountId": account, "contactId": contact})
}

/// One record per module, owned by `owner` (default: the creator): an account, a contact of it,
/// a lead, and a deal on the account and the contact. Answers module → id.
async fn book(node: &TestNode, creator: &Member, owner: Option<&str>, tag: &str) -> BTreeMap<&'static str, String> {
    let owned = |body: Value| match owner {
        Some(owner) => with(body, json!({"ownerId": owner})),
        None => body,
    };
    let account = id(&create(node, creator, "accounts", owned(account(&format!("{tag} Ltd")))).await);
    let contact =
        id(&create(node, creator, "contacts", owned(with(contact(tag), json!({"accountId": account})))).await);
    let lead = id(&create(node, creator, "leads", owned(lead(tag))).await);
    let deal = id(&create(node, creator, "deals", owned(deal(&format!("{tag} deal"), &account, &contact))).await);
    BTreeMap::from([("accounts", account), ("contacts", contact), ("leads", lead), ("deals", deal)])
}

/// The `(id, ok, status)` of each outcome of a bulk request that must answer 200.
async fn bulk(node: &TestNode, who: &Member, path: &str, body: Value) -> Vec<(String, bool, u64)> {
    let answer = read(node.post(path, &body, Some(&who.token)).await, StatusCode::OK, path).await;
    let results = answer["results"].as_array().unwrap_or_else(|| panic!("no results in {answer}"));
    results
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["ok"].as_bool().unwrap(), r["status"].as_u64().unwrap()))
        .collect()
}

/// Accounts seen from a role tree: `me` leads a team with `rep` below; `boss` has the
/// Administrator profile; `stranger` is outside it. `me` owns Acme (AC-1, with every optional
/// field given) and its child Beta (BE-1); `rep` owns Rep Co; `stranger` owns Hidden.
struct Accounts {
    node: TestNode,
    boss: Member,
    me: Member,
    rep: Member,
    stranger: Member,
    acme: Value,
    beta: Value,
    rep_co: Value,
    hidden: Value,
}

async fn accounts() -> Accounts {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let lead_role = role(&node, &admin, "Team lead", None).await;
    let rep_role = role(&node, &admin, "Rep", Some(&lead_role)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let me = member(&node, &admin, "me", Some(&lead_role), None).await;
    let rep = member(&node, &admin, "rep", Some(&rep_role), None).await;
    let stranger = member(&node, &admin, "stranger", None, None).await;
    let extra = json!({
        "accountNumber": "AC-1", "phone": "+351 1", "website": "https://acme.example",
        "billingCountry": "Portugal", "shippingCity": "Porto",
    });
    let acme = create(&node, &me, "accounts", with(account("Acme"), extra)).await;
    let child = json!({"accountNumber": "BE-1", "parentAccountId": id(&acme)});
    let beta = create(&node, &me, "accounts", with(account("Beta"), child)).await;
    let rep_co = create(&node, &rep, "accounts", account("Rep Co")).await;
    let hidden = create(&node, &stranger, "accounts", account("Hidden")).await;
    Accounts { node, boss, me, rep, stranger, acme, beta, rep_co, hidden }
}

/// The path of an account.
fn account_path(account: &str) -> String {
    format!("/crm/accounts/{account}")
}

/// Acme's contacts (mine, the rep's, the stranger's) and deals (mine, the stranger's).
struct AcmeRecords {
    contacts: [String; 3],
    deals: [String; 2],
}

async fn acme_records(fx: &Accounts) -> AcmeRecords {
    let (node, a) = (&fx.node, id(&fx.acme));
    let on_acme = |body: Value, owner: Option<&str>| match owner {
        Some(owner) => with(body, json!({"accountId": a, "ownerId": owner})),
        None => with(body, json!({"accountId": a})),
    };
    let c_me = id(&create(node, &fx.me, "contacts", on_acme(contact("mine"), None)).await);
    let c_rep = id(&create(node, &fx.boss, "contacts", on_acme(contact("reps"), Some(&fx.rep.id))).await);
    let c_far = id(&create(node, &fx.boss, "contacts", on_acme(contact("far"), Some(&fx.stranger.id))).await);
    let d_me = id(&create(node, &fx.me, "deals", deal("Acme renewal", &a, &c_me)).await);
    let far_deal = with(deal("Far deal", &a, &c_far), json!({"ownerId": fx.stranger.id}));
    let d_far = id(&create(node, &fx.boss, "deals", far_deal).await);
    AcmeRecords { contacts: [c_me, c_rep, c_far], deals: [d_me, d_far] }
}

impl AcmeRecords {
    /// The paths of Acme and of all its records.
    fn paths(&self, acme: &Value) -> Vec<String> {
        let contacts = self.contacts.iter().map(|c| format!("/crm/contacts/{c}"));
        let deals = self.deals.iter().map(|d| format!("/crm/deals/{d}"));
        std::iter::once(account_path(&id(acme))).chain(contacts).chain(deals).collect()
    }
}

/// An account of `me` whose only record is a deal of a lead; answers the account and the lead.
async fn lonely_account_with_a_lead_deal(fx: &Accounts) -> (String, String) {
    let lonely = id(&create(&fx.node, &fx.me, "accounts", account("Lonely")).await);
    let prospect = id(&create(&fx.node, &fx.me, "leads", lead("prospect")).await);
    let body = json!({"name": "Lead deal", "accountId": lonely, "leadId": prospect});
    create(&fx.node, &fx.me, "deals", body).await;
    (lonely, prospect)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_answers_its_fields_its_parent_and_its_audit_columns() {
    let fx = accounts().await;
    let (acme, me) = (&fx.acme, &fx.me);
    for (field, value) in [
        ("name", "Acme"),
        ("accountNumber", "AC-1"),
        ("billingStreet", "1 Main St"),
        ("billingCity", "Lisbon"),
        ("billingCountry", "Portugal"),
        ("shippingCity", "Porto"),
        ("website", "https://acme.example"),
        ("ownerId", me.id.as_str()),
        ("createdBy", me.id.as_str()),
        ("modifiedBy", me.id.as_str()),
    ] {
        assert_eq!(acme[field], value, "{field} in {acme}");
    }
    assert!(acme["createdAt"].is_string() && acme["updatedAt"].is_string(), "{acme}");
    assert_eq!(acme["parentAccountId"], Value::Null);
    assert_eq!(fx.beta["parentAccountId"], json!(id(acme)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_lists_show_the_visible_accounts_sorted_searched_filtered_and_paged() {
    let fx = accounts().await;
    let (node, me, rep) = (&fx.node, &fx.me, &fx.rep);
    let names = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&node.get_json("/crm/accounts?sort=-name", Some(&me.token)).await), ["Rep Co", "Beta", "Acme"]);
    assert_eq!(names(&node.get_json("/crm/accounts?search=BE-1", Some(&me.token)).await), ["Beta"]);
    let owned_by_rep = node.get_json(&format!("/crm/accounts?ownerId={}", rep.id), Some(&me.token)).await;
    assert_eq!(names(&owned_by_rep), ["Rep Co"]);
    let second = node.get_json("/crm/accounts?sort=name&limit=2&page=2", Some(&me.token)).await;
    assert_eq!(
        (names(&second), &second["total"], &second["page"], &second["limit"]),
        (vec!["Rep Co".into()], &json!(3), &json!(2), &json!(2))
    );
    let defaults = node.get_json("/crm/accounts", Some(&rep.token)).await;
    assert_eq!(
        (names(&defaults), &defaults["page"], &defaults["limit"]),
        (vec!["Rep Co".into()], &json!(1), &json!(20))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_names_and_numbers_are_unique_on_create_and_on_update() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let taken = with(account("Acme"), json!({"accountNumber": "AC-2"}));
    assert_eq!(fields(&answer!(node.post("/crm/accounts", &taken, Some(&me.token)), CONFLICT)), ["name"]);
    let taken = with(account("Gamma"), json!({"accountNumber": "AC-1"}));
    assert_eq!(fields(&answer!(node.post("/crm/accounts", &taken, Some(&me.token)), CONFLICT)), ["accountNumber"]);
    let b_path = account_path(&id(&fx.beta));
    assert_eq!(fields(&answer!(node.patch(&b_path, &json!({"name": "Acme"}), Some(&me.token)), CONFLICT)), ["name"]);
    let renumber = json!({"accountNumber": "AC-1"});
    assert_eq!(fields(&answer!(node.patch(&b_path, &renumber, Some(&me.token)), CONFLICT)), ["accountNumber"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_never_its_own_ancestor_and_its_parent_must_be_visible() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let (a, b) = (id(&fx.acme), id(&fx.beta));
    let a_path = account_path(&a);
    let cycle = answer!(node.patch(&a_path, &json!({"parentAccountId": b}), Some(&me.token)), CONFLICT);
    assert_eq!(fields(&cycle), ["parentAccountId"]);
    let own_parent = answer!(node.patch(&a_path, &json!({"parentAccountId": a}), Some(&me.token)), CONFLICT);
    assert_eq!(fields(&own_parent), ["parentAccountId"]);
    let invisible = json!({"parentAccountId": id(&fx.hidden)});
    named(&answer!(node.patch(&a_path, &invisible, Some(&me.token)), UNPROCESSABLE_ENTITY), "parentAccountId");
    assert_eq!(node.get_json(&a_path, Some(&me.token)).await["parentAccountId"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_update_changes_and_clears_fields_and_modified_by_follows_the_writer() {
    let fx = accounts().await;
    let (node, me, boss) = (&fx.node, &fx.me, &fx.boss);
    let a_path = account_path(&id(&fx.acme));
    let updated = answer!(node.patch(&a_path, &json!({"phone": "+351 2", "website": null}), Some(&me.token)), OK);
    assert_eq!(
        (&updated["phone"], &updated["website"], &updated["name"]),
        (&json!("+351 2"), &Value::Null, &json!("Acme"))
    );
    let updated = answer!(node.patch(&a_path, &json!({"billingZip": "1000-001"}), Some(&boss.token)), OK);
    assert_eq!(
        (&updated["modifiedBy"], &updated["createdBy"], &updated["ownerId"]),
        (&json!(boss.id), &json!(me.id), &json!(me.id))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_counts_the_contacts_and_deals_the_caller_sees() {
    let fx = accounts().await;
    let (node, me, boss) = (&fx.node, &fx.me, &fx.boss);
    let a = id(&fx.acme);
    let a_path = account_path(&a);
    // The rep does not see Acme: they cannot put a contact on it.
    let on_acme = with(contact("reps"), json!({"accountId": a}));
    let refused_account = answer!(node.post("/crm/contacts", &on_acme, Some(&fx.rep.token)), UNPROCESSABLE_ENTITY);
    named(&refused_account, "accountId");
    acme_records(&fx).await;
    let counts = node.get_json(&a_path, Some(&me.token)).await;
    assert_eq!((&counts["contactCount"], &counts["dealCount"]), (&json!(2), &json!(1)), "{counts}");
    let counts = node.get_json(&a_path, Some(&boss.token)).await;
    assert_eq!((&counts["contactCount"], &counts["dealCount"]), (&json!(3), &json!(2)), "{counts}");
    let listed_account = node.get_json("/crm/accounts?search=Acme", Some(&me.token)).await;
    assert_eq!(ids(&listed_account), std::slice::from_ref(&a));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_account_deletes_but_one_with_contacts_or_deals_needs_cascade() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let a = id(&fx.acme);
    acme_records(&fx).await;
    let b_path = account_path(&id(&fx.beta));
    answer!(node.delete(&b_path, Some(&me.token)), NO_CONTENT);
    answer!(node.get(&b_path, Some(&me.token)), NOT_FOUND);
    answer!(node.delete(&account_path(&a), Some(&me.token)), CONFLICT);
    let (lonely, _) = lonely_account_with_a_lead_deal(&fx).await;
    answer!(node.delete(&account_path(&lonely), Some(&me.token)), CONFLICT);
    let of_acme = node.get_json(&format!("/crm/contacts?accountId={a}"), Some(&me.token)).await;
    assert_eq!(of_acme["total"], 2, "{of_acme}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_needs_delete_on_every_record_and_a_refused_one_deletes_nothing() {
    let fx = accounts().await;
    let (node, me, boss) = (&fx.node, &fx.me, &fx.boss);
    // The rep's contact is visible to me but not mine to delete.
    let all_of_acme = acme_records(&fx).await.paths(&fx.acme);
    let before = totals(node, boss).await;
    answer!(node.delete(&format!("{}?cascade=true", account_path(&id(&fx.acme))), Some(&me.token)), FORBIDDEN);
    for path in &all_of_acme {
        answer!(node.get(path, Some(&boss.token)), OK);
    }
    assert_eq!(totals(node, boss).await, before, "a refused cascade deleted something");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_over_ones_own_account_contact_and_deal_deletes_them_all() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let solo = id(&create(node, me, "accounts", account("Solo")).await);
    let solo_contact = id(&create(node, me, "contacts", with(contact("solo"), json!({"accountId": solo}))).await);
    let solo_deal = id(&create(node, me, "deals", deal("Solo deal", &solo, &solo_contact)).await);
    answer!(node.delete(&format!("/crm/accounts/{solo}?cascade=true"), Some(&me.token)), NO_CONTENT);
    for path in
        [format!("/crm/accounts/{solo}"), format!("/crm/contacts/{solo_contact}"), format!("/crm/deals/{solo_deal}")]
    {
        answer!(node.get(&path, Some(&fx.boss.token)), NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_profile_cascades_over_every_record_of_an_account() {
    let fx = accounts().await;
    let (node, boss) = (&fx.node, &fx.boss);
    let all_of_acme = acme_records(&fx).await.paths(&fx.acme);
    answer!(node.delete(&account_path(&id(&fx.beta)), Some(&fx.me.token)), NO_CONTENT);
    // The account, its 3 contacts and 2 deals go; nothing else.
    let before = totals(node, boss).await;
    answer!(node.delete(&format!("{}?cascade=true", account_path(&id(&fx.acme))), Some(&boss.token)), NO_CONTENT);
    for path in &all_of_acme {
        answer!(node.get(path, Some(&boss.token)), NOT_FOUND);
    }
    let after = totals(node, boss).await;
    let expected = BTreeMap::from([
        ("accounts", before["accounts"] - 1),
        ("contacts", before["contacts"] - 3),
        ("leads", before["leads"]),
        ("deals", before["deals"] - 2),
    ]);
    assert_eq!(after, expected);
    assert_eq!(node.get_json(&account_path(&id(&fx.rep_co)), Some(&boss.token)).await["name"], "Rep Co");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_takes_the_deals_of_a_lead_but_not_the_lead() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let (lonely, prospect) = lonely_account_with_a_lead_deal(&fx).await;
    answer!(node.delete(&format!("/crm/accounts/{lonely}?cascade=true"), Some(&me.token)), NO_CONTENT);
    assert_eq!(total(node, &fx.boss, &format!("/crm/deals?accountId={lonely}")).await, 0);
    assert_eq!(node.get_json(&format!("/crm/leads/{prospect}"), Some(&me.token)).await["status"], "new");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_fails_whole_when_a_contact_is_used_by_a_deal_of_another_account() {
    let fx = accounts().await;
    let (node, me) = (&fx.node, &fx.me);
    let here = id(&create(node, me, "accounts", account("Here")).await);
    let there = id(&create(node, me, "accounts", account("There")).await);
    let used = id(&create(node, me, "contacts", with(contact("used"), json!({"accountId": here}))).await);
    create(node, me, "deals", deal("Elsewhere", &there, &used)).await;
    let before = totals(node, &fx.boss).await;
    answer!(node.delete(&format!("/crm/accounts/{here}?cascade=true"), Some(&me.token)), CONFLICT);
    assert_eq!(totals(node, &fx.boss).await, before, "a failed cascade deleted something");
    answer!(node.get(&format!("/crm/contacts/{used}"), Some(&me.token)), OK);
}

/// A node with two Standard users, `me` and `stranger`, and two leads of `me`: Ada (every optional
/// field and a billing address given) and Grace (status contacted, amount 99.9).
struct Leads {
    node: TestNode,
    me: Member,
    stranger: Member,
    ada: Value,
    grace: Value,
}

async fn leads() -> Leads {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let stranger = member(&node, &admin, "stranger", None, None).await;
    let address = json!({"billingState": "Norte", "billingZip": "4000-001", "billingCountry": "Portugal"});
    let extra = json!({
        "salutation": "Ms.", "employeeCount": 12, "billingAmount": 1200.5, "exchangeRate": "1.25",
        "currencyCode": "EUR", "leadSource": "Web", "productName": "Gateway", "hqCode": "HQ-1", "shippingCity": "Braga",
    });
    let ada = create(&node, &me, "leads", with(with(lead("ada"), address), extra)).await;
    let grace_body = with(lead("grace"), json!({"billingAmount": "99.9", "status": "contacted"}));
    let grace = create(&node, &me, "leads", grace_body).await;
    Leads { node, me, stranger, ada, grace }
}

/// The path of a lead.
fn lead_path(lead: &Value) -> String {
    format!("/crm/leads/{}", id(lead))
}

/// A conversion that makes a deal too.
fn conversion_with_a_deal() -> Value {
    json!({"createDeal": {
        "name": "Ada's first", "amount": "500.00", "stage": "Negotiation/Review", "closingDate": "2027-01-31",
    }})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_starts_new_unconverted_and_keeps_its_decimals() {
    let Leads { me, ada, grace, .. } = leads().await;
    assert_eq!(ada["status"], "new", "{ada}");
    assert_eq!(ada["billingAmount"], "1200.50", "{ada}");
    assert_eq!(ada["employeeCount"], 12, "{ada}");
    assert_eq!(cents(&ada["exchangeRate"]), 125, "{ada}");
    assert_eq!((&ada["ownerId"], &ada["createdBy"]), (&json!(me.id), &json!(me.id)));
    for field in CONVERTED {
        assert_eq!(ada[field], Value::Null, "{field} in {ada}");
    }
    assert!(grace["billingAmount"].is_string(), "{grace}");
    assert_eq!((cents(&grace["billingAmount"]), &grace["status"]), (9990, &json!("contacted")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_email_is_unique_on_create_and_on_update() {
    let fx = leads().await;
    let (node, me) = (&fx.node, &fx.me);
    let twin = with(lead("twin"), json!({"email": "grace@leads.example"}));
    assert_eq!(fields(&answer!(node.post("/crm/leads", &twin, Some(&me.token)), CONFLICT)), ["email"]);
    let twin = json!({"email": "ada@leads.example"});
    assert_eq!(fields(&answer!(node.patch(&lead_path(&fx.grace), &twin, Some(&me.token)), CONFLICT)), ["email"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_status_is_one_of_four_and_converted_only_by_conversion() {
    let fx = leads().await;
    let (node, me, ada) = (&fx.node, &fx.me, &fx.ada);
    for status in ["converted", "won", ""] {
        let body = with(lead("bad"), json!({"status": status}));
        named(&answer!(node.post("/crm/leads", &body, Some(&me.token)), UNPROCESSABLE_ENTITY), "status");
    }
    let converted = json!({"status": "converted"});
    named(&answer!(node.patch(&lead_path(ada), &converted, Some(&me.token)), UNPROCESSABLE_ENTITY), "status");
    let qualified = answer!(node.patch(&lead_path(ada), &json!({"status": "qualified"}), Some(&me.token)), OK);
    assert_eq!(qualified["status"], "qualified");
    assert_eq!(ids(&node.get_json("/crm/leads?status=qualified", Some(&me.token)).await), [id(ada)]);
    let by_company = node.get_json("/crm/leads?sort=-company", Some(&me.token)).await;
    assert_eq!(ids(&by_company), [id(&fx.grace), id(ada)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_a_lead_makes_an_account_from_its_company_and_address_a_contact_and_a_deal() {
    let fx = leads().await;
    let (node, me, ada) = (&fx.node, &fx.me, &fx.ada);
    let done =
        answer!(node.post(&format!("{}/convert", lead_path(ada)), &conversion_with_a_deal(), Some(&me.token)), OK);
    let (lead_out, contact_out, account_out, deal_out) =
        (&done["lead"], &done["contact"], &done["account"], &done["deal"]);
    assert_eq!(account_out["name"], "ada Corp", "{done}");
    for field in ["billingStreet", "billingCity", "billingState", "billingZip", "billingCountry"] {
        assert_eq!(account_out[field], ada[field], "{field} in {done}");
    }
    for field in ["salutation", "firstName", "lastName", "email", "phone"] {
        assert_eq!(contact_out[field], ada[field], "{field} in {done}");
    }
    assert_eq!(contact_out["accountId"], account_out["id"], "{done}");
    for (field, value) in [
        ("name", json!("Ada's first")),
        ("stage", json!("Negotiation/Review")),
        ("probability", json!(90)),
        ("closingDate", json!("2027-01-31")),
        ("accountId", account_out["id"].clone()),
        ("contactId", contact_out["id"].clone()),
        ("leadId", Value::Null),
    ] {
        assert_eq!(deal_out[field], value, "{field} in {done}");
    }
    assert_eq!(cents(&deal_out["amount"]), 50000, "{done}");
    assert_eq!(lead_out["status"], "converted", "{done}");
    assert_eq!(
        (&lead_out["convertedContactId"], &lead_out["convertedAccountId"], &lead_out["convertedDealId"]),
        (&contact_out["id"], &account_out["id"], &deal_out["id"]),
        "{done}"
    );
    assert!(lead_out["convertedAt"].is_string(), "{done}");
    let stored = node.get_json(&lead_path(ada), Some(&me.token)).await;
    for field in CONVERTED.into_iter().chain(["status"]) {
        assert_eq!(stored[field], lead_out[field], "{field} in {stored}");
    }
    let counts = node.get_json(&account_path(&id(account_out)), Some(&me.token)).await;
    assert_eq!((&counts["contactCount"], &counts["dealCount"]), (&json!(1), &json!(1)), "{counts}");
    let contact_path = format!("/crm/contacts/{}", id(contact_out));
    assert_eq!(node.get_json(&contact_path, Some(&me.token)).await["email"], ada["email"]);
    assert_eq!(node.get_json(&format!("/crm/deals/{}", id(deal_out)), Some(&me.token)).await["name"], "Ada's first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_converted_lead_does_not_convert_again() {
    let fx = leads().await;
    let (node, me) = (&fx.node, &fx.me);
    let convert = format!("{}/convert", lead_path(&fx.ada));
    answer!(node.post(&convert, &conversion_with_a_deal(), Some(&me.token)), OK);
    answer!(node.post(&convert, &json!({}), Some(&me.token)), CONFLICT);
    answer!(node.post(&convert, &conversion_with_a_deal(), Some(&me.token)), CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_without_company_and_address_converts_only_into_an_existing_visible_account() {
    let fx = leads().await;
    let (node, me) = (&fx.node, &fx.me);
    let ben = json!({"firstName": "Ben", "lastName": "Bare", "phone": "+351 3", "email": "ben@leads.example"});
    let ben = create(node, me, "leads", ben).await;
    let ben_convert = format!("{}/convert", lead_path(&ben));
    answer!(node.post(&ben_convert, &json!({}), Some(&me.token)), UNPROCESSABLE_ENTITY);
    let hidden = create(node, &fx.stranger, "accounts", account("Hidden")).await;
    let invisible = json!({"accountId": id(&hidden)});
    named(&answer!(node.post(&ben_convert, &invisible, Some(&me.token)), UNPROCESSABLE_ENTITY), "accountId");
    let unchanged = node.get_json(&lead_path(&ben), Some(&me.token)).await;
    assert_eq!((&unchanged["status"], &unchanged["convertedAt"]), (&json!("new"), &Value::Null), "{unchanged}");
    let existing = id(&create(node, me, "accounts", account("Existing")).await);
    let into = answer!(node.post(&ben_convert, &json!({"accountId": existing}), Some(&me.token)), OK);
    assert_eq!((&into["account"]["id"], &into["deal"]), (&json!(existing), &Value::Null), "{into}");
    assert_eq!(into["contact"]["accountId"], json!(existing), "{into}");
    assert_eq!(
        (&into["lead"]["convertedContactId"], &into["lead"]["convertedAccountId"], &into["lead"]["convertedDealId"]),
        (&into["contact"]["id"], &json!(existing), &Value::Null),
        "{into}"
    );
    assert_eq!(node.get_json(&account_path(&existing), Some(&me.token)).await["contactCount"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_converts_into_a_contact_alone_without_any_account() {
    let fx = leads().await;
    let (node, me) = (&fx.node, &fx.me);
    let cy = create(node, me, "leads", lead("cy")).await;
    let convert = format!("{}/convert", lead_path(&cy));
    let alone = answer!(node.post(&convert, &json!({"createAccount": false}), Some(&me.token)), OK);
    assert_eq!(
        (&alone["account"], &alone["deal"], &alone["contact"]["accountId"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!((&alone["lead"]["status"], &alone["lead"]["convertedAccountId"]), (&json!("converted"), &Value::Null));
    assert_eq!(alone["contact"]["email"], "cy@leads.example");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_invisible_leads_do_not_convert() {
    let fx = leads().await;
    let (node, me) = (&fx.node, &fx.me);
    let unknown = format!("/crm/leads/{}/convert", uuid::Uuid::new_v4());
    answer!(node.post(&unknown, &json!({}), Some(&me.token)), NOT_FOUND);
    let dot = create(node, me, "leads", lead("dot")).await;
    answer!(node.post(&format!("{}/convert", lead_path(&dot)), &json!({}), Some(&fx.stranger.token)), NOT_FOUND);
}

/// A node with a platform administrator, a `boss` with the Administrator profile and a Standard
/// user `me`.
async fn boss_and_me() -> (TestNode, String, Member, Member) {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let me = member(&node, &admin, "me", None, None).await;
    (node, admin, boss, me)
}

/// A conversion making an account, a contact and a small deal.
fn small_deal() -> Value {
    json!({"createDeal": {"name": "Atomic deal", "amount": 10}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversion_clashing_on_the_contact_email_writes_nothing_and_succeeds_once_the_clash_is_gone() {
    let (node, _, boss, me) = boss_and_me().await;
    // The contact would clash on email: the account and deal made before it must not stay.
    let dup =
        create(&node, &me, "leads", with(lead("dup"), json!({"company": "Atomic Corp", "status": "contacted"}))).await;
    let dup_path = lead_path(&dup);
    let clash = json!({"firstName": "Already", "lastName": "There", "email": "dup@leads.example"});
    let clash = id(&create(&node, &me, "contacts", clash).await);
    let before = totals(&node, &boss).await;
    let answer = answer!(node.post(&format!("{dup_path}/convert"), &small_deal(), Some(&me.token)), CONFLICT);
    assert_eq!(fields(&answer), ["email"]);
    assert_eq!(totals(&node, &boss).await, before, "a failed conversion left records behind");
    assert_eq!(total(&node, &boss, "/crm/accounts?search=Atomic").await, 0);
    let unchanged = node.get_json(&dup_path, Some(&me.token)).await;
    assert_eq!(unchanged["status"], "contacted", "{unchanged}");
    for field in CONVERTED {
        assert_eq!(unchanged[field], Value::Null, "{field} in {unchanged}");
    }
    // Without the clash, the same conversion goes through.
    answer!(node.delete(&format!("/crm/contacts/{clash}"), Some(&me.token)), NO_CONTENT);
    let done = answer!(node.post(&format!("{dup_path}/convert"), &small_deal(), Some(&me.token)), OK);
    assert_eq!(done["account"]["name"], "Atomic Corp");
    let expected = BTreeMap::from([
        ("accounts", before["accounts"] + 1),
        ("contacts", before["contacts"]),
        ("leads", before["leads"]),
        ("deals", before["deals"] + 1),
    ]);
    assert_eq!(totals(&node, &boss).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversion_whose_company_is_an_account_already_conflicts_on_name_and_writes_nothing() {
    let (node, _, boss, me) = boss_and_me().await;
    let taken = create(&node, &me, "leads", with(lead("taken"), json!({"company": "Taken Corp"}))).await;
    create(&node, &boss, "accounts", account("Taken Corp")).await;
    let before = totals(&node, &boss).await;
    let answer =
        answer!(node.post(&format!("{}/convert", lead_path(&taken)), &small_deal(), Some(&me.token)), CONFLICT);
    assert_eq!(fields(&answer), ["name"]);
    assert_eq!(totals(&node, &boss).await, before, "a failed conversion left records behind");
    let unchanged = node.get_json(&lead_path(&taken), Some(&me.token)).await;
    assert_eq!((&unchanged["status"], &unchanged["convertedAt"]), (&json!("new"), &Value::Null), "{unchanged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversion_needs_update_on_leads_and_create_on_each_module_it_writes_to() {
    let (node, admin, boss, _) = boss_and_me().await;
    let agent = member(&node, &admin, "agent", None, None).await;
    let perm = create(&node, &agent, "leads", with(lead("perm"), json!({"company": "Perm Corp"}))).await;
    let perm_path = lead_path(&perm);
    let all = json!({"create": true, "read": true, "update": true, "delete": true});
    let read_only = json!({"read": true});
    let restricted = |module: &str, grants: &Value| {
        let mut permissions = json!({"accounts": all, "contacts": all, "leads": all, "deals": all});
        permissions[module] = grants.clone();
        permissions
    };
    let with_deal = json!({"createDeal": {"name": "Perm deal"}});
    let cases = [
        ("No account create", restricted("accounts", &read_only), json!({}), "create", "accounts"),
        ("No contact create", restricted("contacts", &read_only), json!({}), "create", "contacts"),
        ("No deal create", restricted("deals", &read_only), with_deal.clone(), "create", "deals"),
        ("No lead update", restricted("leads", &json!({"create": true, "read": true})), json!({}), "update", "leads"),
    ];
    let before = totals(&node, &boss).await;
    for (name, permissions, body, action, module) in cases {
        let limited = profile(&node, &admin, name, permissions).await;
        assign(&node, &admin, &agent, &limited).await;
        let answer = answer!(node.post(&format!("{perm_path}/convert"), &body, Some(&agent.token)), FORBIDDEN);
        denies(&answer, action, module);
        assert_eq!(totals(&node, &boss).await, before, "{name}: a refused conversion left records behind");
        let unchanged = node.get_json(&perm_path, Some(&boss.token)).await;
        assert_eq!((&unchanged["status"], &unchanged["convertedAt"]), (&json!("new"), &Value::Null), "{name}");
    }
    assign(&node, &admin, &agent, STANDARD).await;
    let done = answer!(node.post(&format!("{perm_path}/convert"), &with_deal, Some(&agent.token)), OK);
    assert_eq!((&done["account"]["name"], &done["deal"]["name"]), (&json!("Perm Corp"), &json!("Perm deal")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_simultaneous_conversions_of_a_lead_one_wins_and_one_conflicts() {
    let (node, _, boss, me) = boss_and_me().await;
    let race = create(&node, &me, "leads", with(lead("race"), json!({"company": "Race Corp"}))).await;
    let race_convert = format!("{}/convert", lead_path(&race));
    let with_deal = json!({"createDeal": {"name": "Perm deal"}});
    let before = totals(&node, &boss).await;
    let (first, second) = tokio::join!(
        node.post(&race_convert, &with_deal, Some(&me.token)),
        node.post(&race_convert, &with_deal, Some(&me.token)),
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let expected = BTreeMap::from([
        ("accounts", before["accounts"] + 1),
        ("contacts", before["contacts"] + 1),
        ("leads", before["leads"]),
        ("deals", before["deals"] + 1),
    ]);
    assert_eq!(totals(&node, &boss).await, expected);
}

/// A role tree: `mgr` manages `rep`; `solo` stands alone; `boss` has the Administrator profile.
/// Each of `mgr`, `rep` and `solo` has a book (an account, a contact, a lead and a deal).
struct Deals {
    node: TestNode,
    boss: Member,
    mgr: Member,
    rep: Member,
    solo: Member,
    m: BTreeMap<&'static str, String>,
    r: BTreeMap<&'static str, String>,
    s: BTreeMap<&'static str, String>,
}

async fn deals() -> Deals {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let manager_role = role(&node, &admin, "Manager", None).await;
    let rep_role = role(&node, &admin, "Rep", Some(&manager_role)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let mgr = member(&node, &admin, "mgr", Some(&manager_role), None).await;
    let rep = member(&node, &admin, "rep", Some(&rep_role), None).await;
    let solo = member(&node, &admin, "solo", None, None).await;
    let (m, r, s) =
        (book(&node, &mgr, None, "m").await, book(&node, &rep, None, "r").await, book(&node, &solo, None, "s").await);
    Deals { node, boss, mgr, rep, solo, m, r, s }
}

/// (owner, account, stage, cents) of a deal.
type Entry = (String, String, &'static str, i64);

/// Deals over every stage for `rep`, `mgr` and `solo`; answers the ledger of every deal there is.
async fn pipeline(fx: &Deals) -> Vec<Entry> {
    let (mgr, rep, solo) = (&fx.mgr, &fx.rep, &fx.solo);
    let mut ledger: Vec<Entry> = vec![
        (mgr.id.clone(), fx.m["accounts"].clone(), "Qualification", 0),
        (rep.id.clone(), fx.r["accounts"].clone(), "Qualification", 0),
        (solo.id.clone(), fx.s["accounts"].clone(), "Qualification", 0),
    ];
    let plan = [
        (rep, &fx.r, "Qualification", json!("100.50")),
        (rep, &fx.r, "Qualification", json!(200)),
        (rep, &fx.r, "Closed Won", json!("1000")),
        (rep, &fx.r, "Needs Analysis", Value::Null),
        (mgr, &fx.m, "Negotiation/Review", json!(300.25)),
        (solo, &fx.s, "Qualification", json!("5000")),
        (solo, &fx.s, "Closed Lost", json!(70.1)),
    ];
    for (n, (owner, records, stage, amount)) in plan.into_iter().enumerate() {
        let mut body =
            with(deal(&format!("p{n}"), &records["accounts"], &records["contacts"]), json!({"stage": stage}));
        if !amount.is_null() {
            body["amount"] = amount.clone();
        }
        let created = create(&fx.node, owner, "deals", body).await;
        let amount = if amount.is_null() { 0 } else { cents(&amount) };
        if amount > 0 {
            assert_eq!(cents(&created["amount"]), amount, "{created}");
        }
        ledger.push((owner.id.clone(), records["accounts"].clone(), stage, amount));
    }
    ledger
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deal_takes_its_stage_default_probability_unless_one_is_given() {
    let Deals { node, solo, s, .. } = deals().await;
    let solo_deal = |name: &str, extra: Value| with(deal(name, &s["accounts"], &s["contacts"]), extra);
    let mut made = Vec::new();
    for (stage, probability) in STAGES {
        let created = create(&node, &solo, "deals", solo_deal(stage, json!({"stage": stage}))).await;
        assert_eq!((&created["stage"], &created["probability"]), (&json!(stage), &json!(probability)), "{created}");
        made.push(id(&created));
    }
    let plain = create(&node, &solo, "deals", solo_deal("plain", json!({}))).await;
    assert_eq!((&plain["stage"], &plain["probability"]), (&json!("Qualification"), &json!(10)), "{plain}");
    let kept =
        create(&node, &solo, "deals", solo_deal("kept", json!({"stage": "Closed Won", "probability": 55}))).await;
    assert_eq!((&kept["stage"], &kept["probability"]), (&json!("Closed Won"), &json!(55)), "{kept}");
    let only = create(&node, &solo, "deals", solo_deal("only", json!({"probability": 33}))).await;
    assert_eq!((&only["stage"], &only["probability"]), (&json!("Qualification"), &json!(33)), "{only}");
    let plain_path = format!("/crm/deals/{}", id(&plain));
    for (change, stage, probability) in [
        (json!({"stage": "Proposal/Price Quote"}), "Proposal/Price Quote", 75),
        (json!({"probability": 80}), "Proposal/Price Quote", 80),
        (json!({"stage": "Closed Lost", "probability": 5}), "Closed Lost", 5),
    ] {
        let updated = answer!(node.patch(&plain_path, &change, Some(&solo.token)), OK);
        assert_eq!((&updated["stage"], &updated["probability"]), (&json!(stage), &json!(probability)), "{change}");
    }
    made.extend([id(&plain), id(&kept), id(&only)]);
    let outcomes = bulk(&node, &solo, "/crm/deals/bulk-delete", json!({"ids": made})).await;
    let expected: Vec<_> = made.iter().map(|id| (id.clone(), true, 200)).collect();
    assert_eq!(outcomes, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deal_needs_exactly_one_of_lead_and_contact_and_only_references_the_caller_sees() {
    let Deals { node, mgr, solo, r, s, .. } = deals().await;
    for body in [
        json!({"name": "neither", "accountId": s["accounts"]}),
        json!({"name": "both", "accountId": s["accounts"], "contactId": s["contacts"], "leadId": s["leads"]}),
    ] {
        answer!(node.post("/crm/deals", &body, Some(&solo.token)), UNPROCESSABLE_ENTITY);
    }
    let via_lead = json!({"name": "via lead", "accountId": s["accounts"], "leadId": s["leads"]});
    let via_lead = create(&node, &solo, "deals", via_lead).await;
    assert_eq!((&via_lead["leadId"], &via_lead["contactId"]), (&json!(s["leads"]), &Value::Null));
    let path = format!("/crm/deals/{}", id(&via_lead));
    answer!(node.patch(&path, &json!({"leadId": null}), Some(&solo.token)), UNPROCESSABLE_ENTITY);
    answer!(node.patch(&path, &json!({"contactId": s["contacts"]}), Some(&solo.token)), UNPROCESSABLE_ENTITY);
    let hidden = json!({"leadId": null, "contactId": r["contacts"]});
    named(&answer!(node.patch(&path, &hidden, Some(&solo.token)), UNPROCESSABLE_ENTITY), "contactId");
    let switched = json!({"leadId": null, "contactId": s["contacts"]});
    let switched = answer!(node.patch(&path, &switched, Some(&solo.token)), OK);
    assert_eq!((&switched["leadId"], &switched["contactId"]), (&Value::Null, &json!(s["contacts"])), "{switched}");
    let moved = json!({"accountId": r["accounts"]});
    named(&answer!(node.patch(&path, &moved, Some(&solo.token)), UNPROCESSABLE_ENTITY), "accountId");
    for (body, field) in [
        (deal("x", &s["accounts"], &r["contacts"]), "contactId"),
        (json!({"name": "x", "accountId": s["accounts"], "leadId": r["leads"]}), "leadId"),
        (deal("x", &r["accounts"], &s["contacts"]), "accountId"),
        (deal("x", &uuid::Uuid::new_v4().to_string(), &s["contacts"]), "accountId"),
        (json!({"name": "x", "contactId": s["contacts"]}), "accountId"),
    ] {
        named(&answer!(node.post("/crm/deals", &body, Some(&solo.token)), UNPROCESSABLE_ENTITY), field);
    }
    // Records below the caller's role are usable.
    let down = with(deal("mgr on rep", &r["accounts"], &r["contacts"]), json!({"amount": 0.5}));
    assert_eq!(create(&node, &mgr, "deals", down).await["ownerId"], json!(mgr.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pipeline_adds_up_per_stage_the_deals_each_caller_sees() {
    let fx = deals().await;
    let ledger = pipeline(&fx).await;
    let (boss, mgr, rep, solo) = (&fx.boss, &fx.mgr, &fx.rep, &fx.solo);
    for (viewer, owners) in [
        (boss, vec![&mgr.id, &rep.id, &solo.id]),
        (mgr, vec![&mgr.id, &rep.id]),
        (rep, vec![&rep.id]),
        (solo, vec![&solo.id]),
    ] {
        let seen: Vec<_> = ledger.iter().filter(|(owner, ..)| owners.contains(&owner)).collect();
        let pipeline = fx.node.get_json("/crm/deals/pipeline", Some(&viewer.token)).await;
        let rows = pipeline["stages"].as_array().unwrap_or_else(|| panic!("no stages in {pipeline}"));
        assert_eq!(rows.len(), STAGES.len(), "{pipeline}");
        for ((stage, probability), row) in STAGES.iter().zip(rows) {
            let here: Vec<_> = seen.iter().filter(|(_, _, s, _)| s == stage).collect();
            assert_eq!((&row["stage"], &row["probability"]), (&json!(stage), &json!(probability)), "{pipeline}");
            assert!(row["amount"].is_string(), "{pipeline}");
            assert_eq!(row["count"], here.len(), "{stage} for {owners:?}: {pipeline}");
            let amount = here.iter().map(|e| e.3).sum::<i64>();
            assert_eq!(cents(&row["amount"]), amount, "{stage} for {owners:?}: {pipeline}");
        }
        assert_eq!(pipeline["total"]["count"], seen.len(), "{pipeline}");
        assert!(pipeline["total"]["amount"].is_string(), "{pipeline}");
        assert_eq!(cents(&pipeline["total"]["amount"]), seen.iter().map(|e| e.3).sum::<i64>(), "{pipeline}");
        assert_eq!(total(&fx.node, viewer, "/crm/deals").await, seen.len() as i64, "list total for {owners:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deals_filter_by_stage_account_and_owner_and_sort_by_amount_and_probability() {
    let fx = deals().await;
    let ledger = pipeline(&fx).await;
    let (node, boss, rep) = (&fx.node, &fx.boss, &fx.rep);
    let closed_won = ledger.iter().filter(|e| e.2 == "Closed Won").count() as i64;
    assert_eq!(total(node, boss, "/crm/deals?stage=Closed%20Won").await, closed_won);
    let on_rep_account = ledger.iter().filter(|e| e.1 == fx.r["accounts"]).count() as i64;
    assert_eq!(total(node, boss, &format!("/crm/deals?accountId={}", fx.r["accounts"])).await, on_rep_account);
    let reps = ledger.iter().filter(|e| e.0 == rep.id).count() as i64;
    assert_eq!(total(node, &fx.mgr, &format!("/crm/deals?ownerId={}", rep.id)).await, reps);
    let sorted = node.get_json("/crm/deals?stage=Qualification&sort=amount", Some(&rep.token)).await;
    let amounts: Vec<i64> = sorted["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["amount"].is_null())
        .map(|d| cents(&d["amount"]))
        .collect();
    assert_eq!(amounts, [10050, 20000], "{sorted}");
    let descending = node.get_json("/crm/deals?sort=-probability&limit=1", Some(&rep.token)).await;
    assert_eq!(descending["items"][0]["stage"], "Closed Won", "{descending}");
}

/// A change each module accepts.
fn change(module: &str) -> Value {
    match module {
        "accounts" => json!({"phone": "+1 555 0100"}),
        "leads" => json!({"company": "Changed Inc"}),
        "contacts" => json!({"department": "Changed"}),
        _ => json!({"description": "Changed"}),
    }
}

/// A role tree: `mgr` manages `rep1` and `rep2` (siblings, the Standard profile); `boss` has the
/// Administrator profile; `reader` has a profile that reads accounts, contacts and leads only.
/// `rep1`, `rep2` and `mgr` have a book each, `boss` made one for `reader`; `rep1` also owns the
/// account `bare`, with no records.
struct Matrix {
    node: TestNode,
    admin: String,
    rep_role: Value,
    boss: Member,
    mgr: Member,
    rep1: Member,
    rep2: Member,
    reader: Member,
    r1: BTreeMap<&'static str, String>,
    r2: BTreeMap<&'static str, String>,
    m: BTreeMap<&'static str, String>,
    rd: BTreeMap<&'static str, String>,
    bare: String,
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
    let reads = json!({"read": true});
    let reading = profile(&node, &admin, "Reader", json!({"accounts": reads, "contacts": reads, "leads": reads})).await;
    let reader = member(&node, &admin, "reader", None, Some(&reading)).await;
    let (r1, r2, m) = (
        book(&node, &rep1, None, "r1").await,
        book(&node, &rep2, None, "r2").await,
        book(&node, &mgr, None, "m").await,
    );
    let rd = book(&node, &boss, Some(&reader.id), "rd").await;
    let bare = id(&create(&node, &rep1, "accounts", account("r1 bare")).await);
    Matrix { node, admin, rep_role, boss, mgr, rep1, rep2, reader, r1, r2, m, rd, bare }
}

/// Lets the reps see each other's records.
async fn share_with_peers(fx: &Matrix) {
    let rep_role_path = format!("/crm/roles/{}", fx.rep_role["id"].as_str().unwrap());
    answer!(fx.node.patch(&rep_role_path, &json!({"shareDataWithPeers": true}), Some(&fx.admin)), OK);
}

/// The path of a record of `module`.
fn record_path(module: &str, record: &str) -> String {
    format!("/crm/{module}/{record}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_without_create_or_without_read_on_a_module_is_forbidden_naming_both() {
    let Matrix { node, reader, rd, .. } = matrix().await;
    let fresh = [
        ("accounts", account("Reader Co")),
        ("leads", lead("readernew")),
        ("deals", deal("reader deal", &rd["accounts"], &rd["contacts"])),
    ];
    for (module, body) in fresh {
        denies(&answer!(node.post(&format!("/crm/{module}"), &body, Some(&reader.token)), FORBIDDEN), "create", module);
    }
    assert_eq!(listed(&node, &reader, "accounts").await, [rd["accounts"].clone()]);
    denies(&answer!(node.get("/crm/deals", Some(&reader.token)), FORBIDDEN), "read", "deals");
    answer!(node.get("/crm/deals/pipeline", Some(&reader.token)), FORBIDDEN);
    answer!(node.get(&record_path("deals", &rd["deals"]), Some(&reader.token)), FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn siblings_and_the_role_above_are_invisible_and_standard_writes_only_its_own_records() {
    let Matrix { node, mgr, rep1, r1, r2, m, rd, bare, .. } = matrix().await;
    for module in MODULES {
        let path = |record: &str| record_path(module, record);
        // Siblings without peer sharing, and the role above, are invisible.
        answer!(node.get(&path(&r2[module]), Some(&rep1.token)), NOT_FOUND);
        answer!(node.get(&path(&m[module]), Some(&rep1.token)), NOT_FOUND);
        answer!(node.patch(&path(&r2[module]), &change(module), Some(&rep1.token)), NOT_FOUND);
        let seen = listed(&node, &rep1, module).await;
        assert!(
            seen.contains(&r1[module]) && !seen.contains(&r2[module]) && !seen.contains(&m[module]),
            "{module}: {seen:?}"
        );
        // The manager sees the records below, but Standard updates and deletes only own ones.
        let seen = listed(&node, &mgr, module).await;
        assert!([&r1, &r2, &m].iter().all(|b| seen.contains(&b[module])), "{module}: {seen:?}");
        assert!(!seen.contains(&rd[module]), "{module}: {seen:?}");
        assert_eq!(node.get_json(&path(&r1[module]), Some(&mgr.token)).await["ownerId"], json!(rep1.id));
        let answer = answer!(node.patch(&path(&r1[module]), &change(module), Some(&mgr.token)), FORBIDDEN);
        denies(&answer, "update", module);
        let target = if module == "accounts" { &bare } else { &r1[module] };
        denies(&answer!(node.delete(&path(target), Some(&mgr.token)), FORBIDDEN), "delete", module);
        answer!(node.patch(&path(&m[module]), &change(module), Some(&mgr.token)), OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_sharing_shows_siblings_records_but_does_not_let_them_be_written() {
    let fx = matrix().await;
    share_with_peers(&fx).await;
    let Matrix { node, rep1, r2, .. } = fx;
    for module in MODULES {
        answer!(node.get(&record_path(module, &r2[module]), Some(&rep1.token)), OK);
        assert!(listed(&node, &rep1, module).await.contains(&r2[module]), "{module}");
        let path = record_path(module, &r2[module]);
        denies(&answer!(node.patch(&path, &change(module), Some(&rep1.token)), FORBIDDEN), "update", module);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_answers_per_id_what_a_single_request_would_have() {
    let fx = matrix().await;
    // With peer sharing the sibling's lead is visible but not writable: 403, not 404.
    share_with_peers(&fx).await;
    let Matrix { node, boss, mgr, rep1, rep2, r1, r2, m, bare, .. } = fx;
    let unknown = uuid::Uuid::new_v4().to_string();
    let statuses =
        |outcomes: Vec<(String, bool, u64)>| outcomes.into_iter().map(|(_, ok, s)| (ok, s)).collect::<Vec<_>>();
    let body = json!({"ids": [r1["leads"], r2["leads"], unknown], "changes": {"status": "contacted"}});
    let outcomes = bulk(&node, &rep1, "/crm/leads/bulk-update", body).await;
    assert_eq!(
        outcomes.iter().map(|o| o.0.clone()).collect::<Vec<_>>(),
        [r1["leads"].clone(), r2["leads"].clone(), unknown.clone()]
    );
    assert_eq!(statuses(outcomes), [(true, 200), (false, 403), (false, 404)]);
    assert_eq!(node.get_json(&record_path("leads", &r1["leads"]), Some(&rep1.token)).await["status"], "contacted");
    assert_eq!(node.get_json(&record_path("leads", &r2["leads"]), Some(&rep2.token)).await["status"], "new");
    let body = json!({"ids": [r1["deals"], m["deals"], unknown]});
    assert_eq!(
        statuses(bulk(&node, &rep1, "/crm/deals/bulk-delete", body).await),
        [(true, 200), (false, 404), (false, 404)]
    );
    answer!(node.get(&record_path("deals", &r1["deals"]), Some(&boss.token)), NOT_FOUND);
    let body = json!({"ids": [bare, unknown]});
    assert_eq!(statuses(bulk(&node, &mgr, "/crm/accounts/bulk-delete", body).await), [(false, 403), (false, 404)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_granting_update_and_delete_writes_every_visible_record() {
    let Matrix { node, admin, mgr, rep2, r1, r2, bare, .. } = matrix().await;
    let all = json!({"create": true, "read": true, "update": true, "delete": true});
    let editing =
        profile(&node, &admin, "Editor", json!({"accounts": all, "contacts": all, "leads": all, "deals": all})).await;
    assign(&node, &admin, &mgr, &editing).await;
    for module in ["accounts", "leads"] {
        let updated = answer!(node.patch(&record_path(module, &r2[module]), &change(module), Some(&mgr.token)), OK);
        assert_eq!((&updated["modifiedBy"], &updated["ownerId"]), (&json!(mgr.id), &json!(rep2.id)), "{updated}");
    }
    let body = json!({"ids": [r1["accounts"], r2["accounts"]], "changes": {"website": "https://example.org"}});
    let statuses: Vec<_> =
        bulk(&node, &mgr, "/crm/accounts/bulk-update", body).await.into_iter().map(|(_, ok, s)| (ok, s)).collect();
    assert_eq!(statuses, [(true, 200), (true, 200)]);
    answer!(node.delete(&record_path("accounts", &bare), Some(&mgr.token)), NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_must_be_someone_the_caller_sees() {
    let Matrix { node, mgr, rep1, .. } = matrix().await;
    let upward = with(lead("upward"), json!({"ownerId": mgr.id}));
    named(&answer!(node.post("/crm/leads", &upward, Some(&rep1.token)), UNPROCESSABLE_ENTITY), "ownerId");
    let assigned = create(&node, &mgr, "accounts", with(account("Assigned"), json!({"ownerId": rep1.id}))).await;
    assert_eq!((&assigned["ownerId"], &assigned["createdBy"]), (&json!(rep1.id), &json!(mgr.id)));
    answer!(node.get(&record_path("accounts", &id(&assigned)), Some(&rep1.token)), OK);
}

/// A Standard user `me` with a book, a snapshot of its four records and of the totals `boss`
/// (Administrator) lists, to prove that refused requests wrote nothing.
struct Untouched {
    node: TestNode,
    boss: Member,
    me: Member,
    mine: BTreeMap<&'static str, String>,
    originals: BTreeMap<&'static str, Value>,
    before: BTreeMap<&'static str, i64>,
}

async fn untouched() -> Untouched {
    let (node, _, boss, me) = boss_and_me().await;
    let mine = book(&node, &me, None, "base").await;
    let mut originals = BTreeMap::new();
    for module in ALL_MODULES {
        originals.insert(module, node.get_json(&record_path(module, &mine[module]), Some(&me.token)).await);
    }
    let before = totals(&node, &boss).await;
    Untouched { node, boss, me, mine, originals, before }
}

impl Untouched {
    /// The path of my record of `module`.
    fn path(&self, module: &str) -> String {
        record_path(module, &self.mine[module])
    }

    /// Asserts that nothing was written or changed.
    async fn assert_untouched(&self) {
        assert_eq!(totals(&self.node, &self.boss).await, self.before);
        for module in ALL_MODULES {
            let now = self.node.get_json(&self.path(module), Some(&self.me.token)).await;
            assert_eq!(now, self.originals[module], "{module}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_with_a_bad_field_is_422_naming_it_and_writes_nothing() {
    let fx = untouched().await;
    let (acc, con) = (fx.mine["accounts"].as_str(), fx.mine["contacts"].as_str());
    let random = uuid::Uuid::new_v4().to_string();
    let creations = [
        ("accounts", json!({}), "name"),
        ("accounts", json!({}), "billingStreet"),
        ("accounts", json!({"name": "X", "billingStreet": "s"}), "billingCity"),
        ("accounts", with(account("X"), json!({"name": 5})), "name"),
        ("accounts", with(account("X"), json!({"billingCity": ["Lisbon"]})), "billingCity"),
        ("accounts", with(account("X"), json!({"parentAccountId": "nope"})), "parentAccountId"),
        ("accounts", with(account("X"), json!({"parentAccountId": random})), "parentAccountId"),
        ("accounts", with(account("X"), json!({"ownerId": "nope"})), "ownerId"),
        ("accounts", with(account("X"), json!({"ownerId": random})), "ownerId"),
        ("contacts", with(contact("x"), json!({"accountId": "nope"})), "accountId"),
        ("contacts", with(contact("x"), json!({"accountId": random})), "accountId"),
        ("leads", json!({"firstName": "x", "lastName": "y", "email": "x@leads.example"}), "phone"),
        ("leads", json!({"lastName": "y", "phone": "1", "email": "x@leads.example"}), "firstName"),
        ("leads", json!({"firstName": "x", "lastName": "y", "phone": "1"}), "email"),
        ("leads", with(lead("x"), json!({"email": "nope"})), "email"),
        ("leads", with(lead("x"), json!({"firstName": true})), "firstName"),
        ("leads", with(lead("x"), json!({"employeeCount": -1})), "employeeCount"),
        ("leads", with(lead("x"), json!({"employeeCount": 2.5})), "employeeCount"),
        ("leads", with(lead("x"), json!({"employeeCount": "many"})), "employeeCount"),
        ("leads", with(lead("x"), json!({"billingAmount": "12.345"})), "billingAmount"),
        ("leads", with(lead("x"), json!({"billingAmount": "lots"})), "billingAmount"),
        ("leads", with(lead("x"), json!({"billingAmount": true})), "billingAmount"),
        ("leads", with(lead("x"), json!({"exchangeRate": 0})), "exchangeRate"),
        ("leads", with(lead("x"), json!({"exchangeRate": "-1.5"})), "exchangeRate"),
        ("leads", with(lead("x"), json!({"status": 1})), "status"),
        ("leads", with(lead("x"), json!({"ownerId": random})), "ownerId"),
        ("deals", json!({"accountId": acc, "contactId": con}), "name"),
        ("deals", json!({"name": "x", "contactId": con}), "accountId"),
        ("deals", json!({"name": ["x"], "accountId": acc, "contactId": con}), "name"),
        ("deals", with(deal("x", acc, con), json!({"amount": -1})), "amount"),
        ("deals", with(deal("x", acc, con), json!({"amount": "1.005"})), "amount"),
        ("deals", with(deal("x", acc, con), json!({"amount": "ten"})), "amount"),
        ("deals", with(deal("x", acc, con), json!({"probability": 101})), "probability"),
        ("deals", with(deal("x", acc, con), json!({"probability": -1})), "probability"),
        ("deals", with(deal("x", acc, con), json!({"probability": "high"})), "probability"),
        ("deals", with(deal("x", acc, con), json!({"stage": "Won"})), "stage"),
        ("deals", with(deal("x", acc, con), json!({"closingDate": "31/01/2027"})), "closingDate"),
        ("deals", with(deal("x", acc, con), json!({"closingDate": "2027-02-30"})), "closingDate"),
        ("deals", with(deal("x", acc, con), json!({"contactId": "nope"})), "contactId"),
        ("deals", with(deal("x", acc, con), json!({"contactId": random})), "contactId"),
    ];
    for (module, body, field) in creations {
        let at = format!("POST /crm/{module} {body}");
        let response = fx.node.post(&format!("/crm/{module}"), &body, Some(&fx.me.token)).await;
        named(&read(response, StatusCode::UNPROCESSABLE_ENTITY, &at).await, field);
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updating_with_a_bad_field_is_422_naming_it_and_changes_nothing() {
    let fx = untouched().await;
    let random = uuid::Uuid::new_v4().to_string();
    let updates = [
        ("accounts", json!({"name": null}), Some("name")),
        ("accounts", json!({"billingCity": null}), Some("billingCity")),
        ("accounts", json!({"parentAccountId": "nope"}), Some("parentAccountId")),
        ("contacts", json!({"accountId": random}), Some("accountId")),
        ("leads", json!({"phone": null}), Some("phone")),
        ("leads", json!({"status": "converted"}), Some("status")),
        ("leads", json!({"employeeCount": -3}), Some("employeeCount")),
        ("deals", json!({"probability": 101}), Some("probability")),
        ("deals", json!({"accountId": null}), Some("accountId")),
        ("deals", json!({"stage": "Closed"}), Some("stage")),
        ("deals", json!({"leadId": fx.mine["leads"]}), None),
        ("deals", json!({"accountId": random}), Some("accountId")),
        ("deals", json!({"amount": "0.001"}), Some("amount")),
        ("leads", json!({"ownerId": random}), Some("ownerId")),
        ("accounts", json!({"ownerId": "nope"}), Some("ownerId")),
    ];
    for (module, body, field) in updates {
        let at = format!("PATCH /crm/{module} {body}");
        let response = fx.node.patch(&fx.path(module), &body, Some(&fx.me.token)).await;
        let answer = read(response, StatusCode::UNPROCESSABLE_ENTITY, &at).await;
        if let Some(field) = field {
            named(&answer, field);
        }
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_list_parameter_is_422_naming_it() {
    let fx = untouched().await;
    let disallowed = [("accounts", "billingCity"), ("contacts", "phone"), ("leads", "phone"), ("deals", "description")];
    for (module, not_sortable) in disallowed {
        let mut queries = vec![
            ("sort=nope".to_string(), "sort"),
            ("sort=-password".to_string(), "sort"),
            (format!("sort={not_sortable}"), "sort"),
            ("limit=0".to_string(), "limit"),
            ("limit=101".to_string(), "limit"),
            ("limit=ten".to_string(), "limit"),
            ("page=0".to_string(), "page"),
            ("ownerId=x".to_string(), "ownerId"),
        ];
        if module == "contacts" || module == "deals" {
            queries.push(("accountId=x".to_string(), "accountId"));
        }
        for (query, field) in queries {
            let path = format!("/crm/{module}?{query}");
            named(
                &read(fx.node.get(&path, Some(&fx.me.token)).await, StatusCode::UNPROCESSABLE_ENTITY, &path).await,
                field,
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sortable_field_sorts_both_ways() {
    let fx = untouched().await;
    let sortable = [
        ("accounts", vec!["name", "accountNumber", "createdAt", "updatedAt"]),
        ("contacts", vec!["firstName", "lastName", "email", "createdAt", "updatedAt"]),
        ("leads", vec!["firstName", "lastName", "email", "company", "status", "createdAt", "updatedAt"]),
        ("deals", vec!["name", "amount", "closingDate", "stage", "probability", "createdAt", "updatedAt"]),
    ];
    for (module, sorts) in sortable {
        for sort in sorts {
            for order in ["", "-"] {
                let path = format!("/crm/{module}?sort={order}{sort}&limit=100");
                let page = fx.node.get_json(&path, Some(&fx.me.token)).await;
                assert_eq!(ids(&page), [fx.mine[module].clone()], "{module} sorted by {order}{sort}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_id_is_400_and_an_unknown_one_404() {
    let fx = untouched().await;
    let (node, me) = (&fx.node, &fx.me);
    let random = uuid::Uuid::new_v4().to_string();
    for module in ALL_MODULES {
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let body = (method == Method::PATCH).then(|| change(module));
            for (record, status) in [("not-a-uuid", StatusCode::BAD_REQUEST), (random.as_str(), StatusCode::NOT_FOUND)]
            {
                let path = record_path(module, record);
                let response = node.send(method.clone(), &path, body.as_ref(), Some(&me.token)).await;
                read(response, status, &format!("{method} {path}")).await;
            }
        }
    }
    answer!(node.delete("/crm/accounts/not-a-uuid?cascade=true", Some(&me.token)), BAD_REQUEST);
    answer!(node.post("/crm/leads/not-a-uuid/convert", &json!({}), Some(&me.token)), BAD_REQUEST);
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bulk_id_lists_and_invalid_bulk_changes_are_422_before_any_id_is_touched() {
    let fx = untouched().await;
    let (node, me) = (&fx.node, &fx.me);
    for module in ALL_MODULES {
        let bulk_delete = format!("/crm/{module}/bulk-delete");
        let bulk_update = format!("/crm/{module}/bulk-update");
        let too_many: Vec<String> = (0..501).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        for (path, body) in [
            (&bulk_delete, json!({"ids": []})),
            (&bulk_delete, json!({"ids": too_many})),
            (&bulk_update, json!({"ids": [], "changes": change(module)})),
        ] {
            let at = format!("POST {path} {}", body["ids"].as_array().unwrap().len());
            named(
                &read(node.post(path, &body, Some(&me.token)).await, StatusCode::UNPROCESSABLE_ENTITY, &at).await,
                "ids",
            );
        }
        let at = format!("POST {bulk_delete} [\"x\"]");
        let response = node.post(&bulk_delete, &json!({"ids": ["x"]}), Some(&me.token)).await;
        read(response, StatusCode::UNPROCESSABLE_ENTITY, &at).await;
    }
    // Invalid changes are refused as a whole, before any id is touched.
    let bad_changes = json!({"ids": [fx.mine["deals"]], "changes": {"probability": 500}});
    let problem = answer!(node.post("/crm/deals/bulk-update", &bad_changes, Some(&me.token)), UNPROCESSABLE_ENTITY);
    named(&problem, "probability");
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_400_on_every_module() {
    let fx = untouched().await;
    for module in ALL_MODULES {
        let malformed = fx
            .node
            .http
            .post(fx.node.url(&format!("/crm/{module}")))
            .bearer_auth(&fx.me.token)
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .expect("request");
        read(malformed, StatusCode::BAD_REQUEST, &format!("malformed JSON to {module}")).await;
    }
    fx.assert_untouched().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_conversion_request_is_422_and_converts_nothing() {
    let fx = untouched().await;
    let convert = format!("{}/convert", fx.path("leads"));
    for body in [
        json!({"createDeal": {"amount": 5}}),
        json!({"createDeal": {"name": "x", "closingDate": "2027-13-01"}}),
        json!({"createDeal": {"name": "x", "stage": "Won"}}),
        json!({"accountId": "nope"}),
        json!({"createAccount": "yes"}),
    ] {
        let response = fx.node.post(&convert, &body, Some(&fx.me.token)).await;
        read(response, StatusCode::UNPROCESSABLE_ENTITY, &body.to_string()).await;
    }
    fx.assert_untouched().await;
}
