//! Desk catalog, work orders and estimates: catalog CRUD and who may write it, exact totals
//! through the API (discounts, several taxes, rounding to the minor unit), status transitions,
//! atomic estimate conversion, a permission matrix over profiles and the role tree, and bad input
//! that writes nothing.

mod common;

use common::answers::{answer, fields, id, named, read};
use common::crm::{member, profile, role, Member};
use common::TestNode;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";
/// The two kinds of document.
const DOCUMENTS: [&str; 2] = ["/desk/work-orders", "/desk/estimates"];

/// The ids of a page's items, sorted.
fn ids(page: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).iter().map(id).collect();
    ids.sort();
    ids
}

/// Sorted copy, for set comparisons.
fn set(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// Asserts that a problem names `field` or a field within it (`lines[0]` for `lines[0].quantity`).
fn named_within(problem: &Value, field: &str) {
    assert!(fields(problem).iter().any(|f| f.starts_with(field)), "{field} not named in {problem}");
}

/// Adds a catalog item as `token`; answers its id.
async fn item(node: &TestNode, token: &str, catalog: &str, body: Value) -> String {
    id(&answer!(node.post(&format!("/desk/{catalog}"), &body, Some(token)), CREATED))
}

/// The totals of a document: subtotal, discount, tax, grand total.
fn totals(document: &Value) -> [String; 4] {
    ["subtotal", "discount", "tax", "grandTotal"]
        .map(|field| document[field].as_str().unwrap_or_else(|| panic!("{field} in {document}")).to_string())
}

/// The `total` of a list `who` reads.
async fn total(node: &TestNode, token: &str, path: &str) -> i64 {
    let separator = if path.contains('?') { '&' } else { '?' };
    node.get_json(&format!("{path}{separator}limit=1"), Some(token)).await["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("{path}"))
}

/// A catalog of one service (100), one part (9.99) and taxes of 23 %, 6 % and 0 %.
struct Catalog {
    service: String,
    part: String,
    vat: String,
    reduced: String,
    zero: String,
}

async fn catalog(node: &TestNode, admin: &str) -> Catalog {
    Catalog {
        service: item(node, admin, "services", json!({"name": "Repair hour", "netPrice": "100"})).await,
        part: item(node, admin, "parts", json!({"name": "Fuse", "price": 9.99})).await,
        vat: item(node, admin, "taxes", json!({"name": "VAT", "percentage": 23})).await,
        reduced: item(node, admin, "taxes", json!({"name": "Reduced", "percentage": "6"})).await,
        zero: item(node, admin, "taxes", json!({"name": "Exempt", "percentage": 0})).await,
    }
}

/// A platform administrator `admin`, `boss` with the Administrator profile, a Standard user `me`
/// and one item per catalog: the service " Install " at 80.5 and the tax VAT at "7.125" %, both
/// added by `admin`, and the part Cable at "12.30", added by `boss`.
struct Shop {
    node: TestNode,
    admin: String,
    boss: Member,
    me: Member,
    service: Value,
    part: Value,
    tax: Value,
}

async fn shop() -> Shop {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let me = member(&node, &admin, "me", None, None).await;
    let install = json!({"name": " Install ", "netPrice": 80.5});
    let service = answer!(node.post("/desk/services", &install, Some(&admin)), CREATED);
    let cable = json!({"name": "Cable", "price": "12.30"});
    let part = answer!(node.post("/desk/parts", &cable, Some(&boss.token)), CREATED);
    let vat = json!({"name": "VAT", "percentage": "7.125"});
    let tax = answer!(node.post("/desk/taxes", &vat, Some(&admin)), CREATED);
    Shop { node, admin, boss, me, service, part, tax }
}

impl Shop {
    /// Each catalog with its price field and its item.
    fn items(&self) -> [(&'static str, &'static str, &Value); 3] {
        [("services", "netPrice", &self.service), ("parts", "price", &self.part), ("taxes", "percentage", &self.tax)]
    }
}

/// The path of a catalog item.
fn item_path(catalog: &str, item: &Value) -> String {
    format!("/desk/{catalog}/{}", id(item))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_item_answers_its_trimmed_name_and_its_decimal_as_given() {
    let Shop { service, part, tax, .. } = shop().await;
    assert_eq!((&service["name"], &service["netPrice"]), (&json!("Install"), &json!("80.5")), "{service}");
    assert!(service.get("price").is_none() && service.get("percentage").is_none(), "{service}");
    assert_eq!(part["price"], "12.30", "{part}");
    assert_eq!(tax["percentage"], "7.125", "{tax}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_signed_in_user_reads_the_catalog_and_no_one_without_a_token() {
    let fx = shop().await;
    let (node, me) = (&fx.node, &fx.me);
    for (catalog, _, record) in fx.items() {
        assert_eq!(node.get_json(&item_path(catalog, record), Some(&me.token)).await, *record);
        assert_eq!(ids(&node.get_json(&format!("/desk/{catalog}"), Some(&me.token)).await), [id(record)]);
        answer!(node.get(&format!("/desk/{catalog}"), None), UNAUTHORIZED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standard_user_may_not_add_change_or_delete_catalog_items() {
    let fx = shop().await;
    let (node, me) = (&fx.node, &fx.me);
    for (catalog, field, record) in fx.items() {
        let path = item_path(catalog, record);
        answer!(node.post(&format!("/desk/{catalog}"), &json!({"name": "x", field: 1}), Some(&me.token)), FORBIDDEN);
        answer!(node.patch(&path, &json!({"name": "Mine"}), Some(&me.token)), FORBIDDEN);
        answer!(node.delete(&path, Some(&me.token)), FORBIDDEN);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_profile_changes_only_the_catalog_fields_it_gives() {
    let fx = shop().await;
    let path = item_path("services", &fx.service);
    let repriced = answer!(fx.node.patch(&path, &json!({"netPrice": "90"}), Some(&fx.boss.token)), OK);
    assert_eq!((&repriced["name"], &repriced["netPrice"]), (&json!("Install"), &json!("90")), "{repriced}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_item_on_a_line_cannot_be_deleted_but_an_unused_one_can() {
    let fx = shop().await;
    let (node, admin, me) = (&fx.node, &fx.admin, &fx.me);
    let uses = json!({"kind": "part", "itemId": id(&fx.part), "quantity": 1, "taxId": id(&fx.tax)});
    answer!(node.post("/desk/work-orders", &json!({"title": "Uses", "lines": [uses]}), Some(&me.token)), CREATED);
    answer!(node.delete(&item_path("parts", &fx.part), Some(admin)), CONFLICT);
    answer!(node.delete(&item_path("taxes", &fx.tax), Some(admin)), CONFLICT);
    answer!(node.delete(&item_path("services", &fx.service), Some(&fx.boss.token)), NO_CONTENT);
    answer!(node.get(&item_path("services", &fx.service), Some(&me.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_catalog_item_is_422_naming_the_field_and_writes_nothing() {
    let fx = shop().await;
    let (node, admin) = (&fx.node, &fx.admin);
    let bad = [
        ("services", json!({"name": "Neg", "netPrice": -1}), "netPrice"),
        ("services", json!({"name": "Wrong", "price": 1}), "price"),
        ("services", json!({"name": "NoPrice"}), "netPrice"),
        ("services", json!({"netPrice": 1}), "name"),
        ("services", json!({"name": "Many", "netPrice": "1.23456"}), "netPrice"),
        ("services", json!({"name": "Text", "netPrice": "abc"}), "netPrice"),
        ("parts", json!({"name": "  ", "price": 1}), "name"),
        ("parts", json!({"name": "X", "price": 1, "color": "red"}), "color"),
        ("taxes", json!({"name": "Big", "percentage": 101}), "percentage"),
        ("taxes", json!({"name": "Fine", "percentage": "1.2345"}), "percentage"),
        ("taxes", json!({"name": "Neg", "percentage": -0.5}), "percentage"),
    ];
    for (catalog, body, field) in bad {
        named(&answer!(node.post(&format!("/desk/{catalog}"), &body, Some(admin)), UNPROCESSABLE_ENTITY), field);
    }
    for (catalog, _, _) in fx.items() {
        assert_eq!(total(node, admin, &format!("/desk/{catalog}")).await, 1, "{catalog}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_name_is_taken_whatever_its_case() {
    let fx = shop().await;
    let (node, admin) = (&fx.node, &fx.admin);
    let twin = json!({"name": "install", "netPrice": 1});
    named(&answer!(node.post("/desk/services", &twin, Some(admin)), CONFLICT), "name");
    assert_eq!(total(node, admin, "/desk/services").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_price_cannot_be_cleared() {
    let fx = shop().await;
    let path = item_path("taxes", &fx.tax);
    let cleared = json!({"percentage": null});
    named(&answer!(fx.node.patch(&path, &cleared, Some(&fx.admin)), UNPROCESSABLE_ENTITY), "percentage");
    assert_eq!(fx.node.get_json(&path, Some(&fx.me.token)).await["percentage"], "7.125");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_catalog_or_catalog_item_is_404() {
    let fx = shop().await;
    answer!(fx.node.get("/desk/gadgets", Some(&fx.admin)), NOT_FOUND);
    answer!(fx.node.get(&format!("/desk/parts/{}", uuid::Uuid::new_v4()), Some(&fx.admin)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_search_ignores_case() {
    let fx = shop().await;
    assert_eq!(total(&fx.node, &fx.admin, "/desk/services?search=INST").await, 1);
    assert_eq!(total(&fx.node, &fx.admin, "/desk/services?search=zzz").await, 0);
}

/// A line of `kind` for `item` with the fields of `extra`.
fn line(kind: &str, item: &str, extra: Value) -> Value {
    let mut line = json!({"kind": kind, "itemId": item});
    for (key, value) in extra.as_object().into_iter().flatten() {
        line[key] = value.clone();
    }
    line
}

/// A node with a platform administrator `admin`, a Standard user `me` and a [`Catalog`].
struct Priced {
    node: TestNode,
    admin: String,
    me: Member,
    c: Catalog,
}

async fn priced() -> Priced {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let c = catalog(&node, &admin).await;
    Priced { node, admin, me, c }
}

impl Priced {
    /// POSTs a document to `base` as `me`, expecting 201; answers it.
    async fn open(&self, base: &str, body: Value) -> Value {
        read(self.node.post(base, &body, Some(&self.me.token)).await, StatusCode::CREATED, &format!("POST {base}"))
            .await
    }

    /// PATCHes the document at `path` as `me`, expecting 200; answers it.
    async fn change(&self, path: &str, body: Value) -> Value {
        read(self.node.patch(path, &body, Some(&self.me.token)).await, StatusCode::OK, &format!("PATCH {path}")).await
    }

    /// The work order "Taxes": a service at 23 %, three parts at 6 %, a service at 50 at 0 % and
    /// two parts at 12.5 without tax; at catalog prices where none is given.
    async fn taxed_order(&self) -> Value {
        let c = &self.c;
        let lines = json!([
            line("service", &c.service, json!({"quantity": 1, "taxId": c.vat})),
            line("part", &c.part, json!({"quantity": 3, "taxId": c.reduced})),
            line("service", &c.service, json!({"quantity": 1, "unitPrice": 50, "taxId": c.zero})),
            line("part", &c.part, json!({"quantity": "2", "unitPrice": "12.5"})),
        ]);
        self.open("/desk/work-orders", json!({"title": "Taxes", "lines": lines})).await
    }

    /// Replaces the lines of `order` with a discounted service at 23 % and a discounted untaxed part.
    async fn discount(&self, order: &Value) -> Value {
        let c = &self.c;
        let lines = json!([
            line("service", &c.service, json!({"quantity": 4, "unitPrice": 25, "discount": 10, "taxId": c.vat})),
            line("part", &c.part, json!({"quantity": 1, "unitPrice": "19.99", "discount": "4.99"})),
        ]);
        self.change(&order_path(order), json!({"lines": lines})).await
    }

    /// The estimate "Yen" in `jpy`: three parts at 333.5 less 0.5, at 6 %.
    async fn yen_estimate(&self) -> Value {
        let discounted = json!({"quantity": 3, "unitPrice": "333.5", "discount": "0.5", "taxId": self.c.reduced});
        let lines = json!([line("part", &self.c.part, discounted)]);
        self.open("/desk/estimates", json!({"title": "Yen", "currency": "jpy", "lines": lines})).await
    }
}

/// The path of a work order.
fn order_path(order: &Value) -> String {
    format!("/desk/work-orders/{}", id(order))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_work_order_totals_several_taxes_a_zero_rate_and_an_untaxed_line_at_catalog_prices() {
    let order = priced().await.taxed_order().await;
    assert_eq!(totals(&order), ["204.97", "0.00", "24.80", "229.77"], "{order}");
    assert_eq!(order["lines"][1]["unitPrice"], "9.99", "{order}");
    assert_eq!(order["lines"][1]["taxPercentage"], "6", "{order}");
    assert_eq!(
        order["lines"][1]["totals"],
        json!({"subtotal": "29.97", "discount": "0.00", "tax": "1.80", "total": "31.77"})
    );
    assert!(order["lines"][3]["taxPercentage"].is_null(), "{order}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_work_order_is_new_medium_pending_in_euros_and_reads_back_as_answered() {
    let fx = priced().await;
    let order = fx.taxed_order().await;
    assert_eq!(
        (&order["status"], &order["priority"], &order["billingStatus"]),
        (&json!("new"), &json!("medium"), &json!("pending"))
    );
    assert_eq!(order["currency"], "EUR");
    assert_eq!(fx.node.get_json(&order_path(&order), Some(&fx.me.token)).await, order);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discounts_come_off_before_tax_and_new_lines_replace_the_old_ones() {
    let fx = priced().await;
    let changed = fx.discount(&fx.taxed_order().await).await;
    assert_eq!(totals(&changed), ["119.99", "14.99", "20.70", "125.70"], "{changed}");
    assert_eq!(changed["lines"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_without_lines_keeps_the_lines_and_the_totals() {
    let fx = priced().await;
    let order = fx.taxed_order().await;
    let changed = fx.discount(&order).await;
    let renamed = fx.change(&order_path(&order), json!({"title": "Renamed"})).await;
    assert_eq!((totals(&renamed), &renamed["lines"]), (totals(&changed), &changed["lines"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yen_have_no_minor_unit_and_an_estimate_totals_like_a_work_order() {
    let yen = priced().await.yen_estimate().await;
    assert_eq!(
        (totals(&yen), &yen["currency"]),
        (["1001", "1", "60", "1060"].map(String::from), &json!("JPY")),
        "{yen}"
    );
    assert_eq!(yen["status"], "draft");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_only_the_currency_rounds_the_stored_lines_again() {
    let fx = priced().await;
    let yen = fx.yen_estimate().await;
    let euros = fx.change(&format!("/desk/estimates/{}", id(&yen)), json!({"currency": "EUR"})).await;
    assert_eq!(totals(&euros), ["1000.50", "0.50", "60.00", "1060.00"], "{euros}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_work_order_without_lines_totals_zero_to_the_minor_unit() {
    let empty = priced().await.open("/desk/work-orders", json!({"title": "Empty"})).await;
    assert_eq!(totals(&empty), ["0.00", "0.00", "0.00", "0.00"], "{empty}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_line_is_422_naming_its_field_on_create_and_on_update_and_writes_nothing() {
    let fx = priced().await;
    let (node, me, c) = (&fx.node, &fx.me, &fx.c);
    let path = order_path(&fx.taxed_order().await);
    let before = (total(node, &me.token, "/desk/work-orders").await, node.get_json(&path, Some(&me.token)).await);
    let unknown = uuid::Uuid::new_v4().to_string();
    let bad = [
        (line("service", &c.service, json!({"quantity": 0})), "lines[0].quantity"),
        (line("service", &c.service, json!({})), "lines[0].quantity"),
        (line("service", &c.service, json!({"quantity": "1.0001"})), "lines[0].quantity"),
        (line("service", &c.service, json!({"quantity": 1, "unitPrice": -1})), "lines[0].unitPrice"),
        (line("service", &c.service, json!({"quantity": 1, "discount": 101})), "lines[0].discount"),
        (line("service", &unknown, json!({"quantity": 1})), "lines[0].itemId"),
        (line("part", &c.service, json!({"quantity": 1})), "lines[0].itemId"),
        (line("service", &c.service, json!({"quantity": 1, "taxId": unknown})), "lines[0].taxId"),
        (line("gadget", &c.service, json!({"quantity": 1})), "lines[0].kind"),
        (json!({"kind": "part", "itemId": c.part, "quantity": 1, "colour": "red"}), "lines[0]"),
    ];
    for (bad, field) in bad {
        let body = json!({"title": "Bad", "lines": [bad]});
        named_within(&answer!(node.post("/desk/work-orders", &body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
        let lines = json!({"lines": [bad]});
        named_within(&answer!(node.patch(&path, &lines, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
    }
    let after = (total(node, &me.token, "/desk/work-orders").await, node.get_json(&path, Some(&me.token)).await);
    assert_eq!(after, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_move_only_as_allowed() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let order = id(&answer!(node.post("/desk/work-orders", &json!({"title": "Move"}), Some(&me.token)), CREATED));
    let path = format!("/desk/work-orders/{order}");
    for status in ["scheduled", "inProgress", "completed"] {
        assert_eq!(answer!(node.patch(&path, &json!({"status": status}), Some(&me.token)), OK)["status"], status);
    }
    let problem = answer!(node.patch(&path, &json!({"status": "new"}), Some(&me.token)), CONFLICT);
    named(&problem, "status");
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("completed") && detail.contains("new"), "{problem}");
    named(&answer!(node.patch(&path, &json!({"status": "done"}), Some(&me.token)), UNPROCESSABLE_ENTITY), "status");

    let cancelled = id(&answer!(
        node.post("/desk/work-orders", &json!({"title": "C", "status": "cancelled"}), Some(&me.token)),
        CREATED
    ));
    for status in ["new", "scheduled", "inProgress", "completed"] {
        let path = format!("/desk/work-orders/{cancelled}");
        answer!(node.patch(&path, &json!({"status": status}), Some(&me.token)), CONFLICT);
    }
    let estimate = id(&answer!(
        node.post("/desk/estimates", &json!({"title": "E", "validUntil": "2030-01-31"}), Some(&me.token)),
        CREATED
    ));
    let path = format!("/desk/estimates/{estimate}");
    assert_eq!(
        answer!(node.patch(&path, &json!({"status": "rejected"}), Some(&me.token)), OK)["validUntil"],
        "2030-01-31"
    );
    answer!(node.patch(&path, &json!({"status": "sent"}), Some(&me.token)), CONFLICT);
    answer!(node.post(&format!("{path}/convert"), &json!({}), Some(&me.token)), CONFLICT);
    answer!(node.patch(&path, &json!({"status": "draft"}), Some(&me.token)), OK);
}

/// An estimate in USD with a summary, terms and an address: 1.5 service hours at 23 % and two
/// parts less 0.98.
fn boiler(c: &Catalog) -> Value {
    json!({
        "title": "Boiler", "summary": "Replace", "currency": "USD", "termsAndConditions": "30 days",
        "serviceAddress": {"street": "1 Main St", "city": "Lisbon"},
        "lines": [{"kind": "service", "itemId": c.service, "quantity": "1.5", "taxId": c.vat},
                  {"kind": "part", "itemId": c.part, "quantity": 2, "discount": "0.98"}],
    })
}

/// The path that converts the estimate `estimate`.
fn convert_path(estimate: &str) -> String {
    format!("/desk/estimates/{estimate}/convert")
}

/// A document's lines without their ids.
fn without_ids(lines: &Value) -> Vec<Value> {
    let lines = lines.as_array().unwrap_or_else(|| panic!("no lines in {lines}"));
    lines
        .iter()
        .map(|line| {
            let mut line = line.clone();
            line["id"] = Value::Null;
            line
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_an_estimate_accepts_it_and_makes_a_new_work_order_of_its_fields_lines_and_totals() {
    let fx = priced().await;
    let estimate = fx.open("/desk/estimates", boiler(&fx.c)).await;
    assert_eq!(totals(&estimate), ["169.98", "0.98", "34.50", "203.50"], "{estimate}");
    let converted = answer!(fx.node.post(&convert_path(&id(&estimate)), &json!({}), Some(&fx.me.token)), OK);
    let (order, accepted) = (&converted["workOrder"], &converted["estimate"]);
    assert_eq!(
        (&accepted["status"], &accepted["convertedWorkOrderId"]),
        (&json!("accepted"), &order["id"]),
        "{converted}"
    );
    assert_eq!((&order["status"], totals(order)), (&json!("new"), totals(&estimate)), "{converted}");
    for field in ["title", "summary", "currency", "termsAndConditions", "serviceAddress", "ownerId"] {
        assert_eq!(order[field], estimate[field], "{field}");
    }
    assert_eq!(without_ids(&order["lines"]), without_ids(&estimate["lines"]));
    assert_eq!(fx.node.get_json(&order_path(order), Some(&fx.me.token)).await, *order);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_estimate_converts_once_and_a_second_conversion_is_409_and_writes_nothing() {
    let fx = priced().await;
    let (node, me) = (&fx.node, &fx.me);
    let path = convert_path(&id(&fx.open("/desk/estimates", boiler(&fx.c)).await));
    answer!(node.post(&path, &json!({}), Some(&me.token)), OK);
    answer!(node.post(&path, &json!({}), Some(&me.token)), CONFLICT);
    assert_eq!(total(node, &me.token, "/desk/work-orders").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_simultaneous_conversions_of_an_estimate_one_wins_and_the_other_conflicts() {
    let fx = priced().await;
    let (node, me) = (&fx.node, &fx.me);
    let path = convert_path(&id(&fx.open("/desk/estimates", boiler(&fx.c)).await));
    let nothing = json!({});
    let (a, b) = tokio::join!(node.post(&path, &nothing, Some(&me.token)), node.post(&path, &nothing, Some(&me.token)));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(total(node, &me.token, "/desk/work-orders").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_that_only_reads_estimates_cannot_convert_them_and_nothing_is_written() {
    let fx = priced().await;
    let (node, admin) = (&fx.node, &fx.admin);
    let permissions = json!({"estimates": {"create": false, "read": true, "update": false, "delete": false},
        "workOrders": {"create": true, "read": true, "update": true, "delete": true}});
    let reading = profile(node, admin, "Reader", permissions).await;
    let reader = member(node, admin, "reader", None, Some(&reading)).await;
    let boss = member(node, admin, "boss", None, Some(ADMINISTRATOR)).await;
    let body = json!({"title": "R", "ownerId": reader.id});
    let theirs = id(&answer!(node.post("/desk/estimates", &body, Some(&boss.token)), CREATED));
    answer!(node.post(&convert_path(&theirs), &json!({}), Some(&reader.token)), FORBIDDEN);
    assert_eq!(node.get_json(&format!("/desk/estimates/{theirs}"), Some(&reader.token)).await["status"], "draft");
    assert_eq!(total(node, &boss.token, "/desk/work-orders").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_estimate_is_404_to_convert() {
    let fx = priced().await;
    let unknown = convert_path(&uuid::Uuid::new_v4().to_string());
    answer!(fx.node.post(&unknown, &json!({}), Some(&fx.me.token)), NOT_FOUND);
}

/// A role tree: `mgr` manages `rep1` and `rep2` (siblings, Standard); `boss` has the Administrator
/// profile; `stranger` is outside the tree.
struct Tree {
    node: TestNode,
    boss: Member,
    mgr: Member,
    rep1: Member,
    rep2: Member,
    stranger: Member,
}

async fn tree() -> Tree {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let manager_role = role(&node, &admin, "Manager", None).await;
    let rep_role = role(&node, &admin, "Rep", Some(&manager_role)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let mgr = member(&node, &admin, "mgr", Some(&manager_role), None).await;
    let rep1 = member(&node, &admin, "rep1", Some(&rep_role), None).await;
    let rep2 = member(&node, &admin, "rep2", Some(&rep_role), None).await;
    let stranger = member(&node, &admin, "stranger", None, None).await;
    Tree { node, boss, mgr, rep1, rep2, stranger }
}

/// The ids of one document each of `rep1`, `rep2`, `mgr` and `boss`.
struct Documents {
    r1: String,
    r2: String,
    m: String,
    b: String,
}

impl Tree {
    /// POSTs a document to `base` as `who`, expecting 201; answers it.
    async fn open(&self, who: &Member, base: &str, body: Value) -> Value {
        let at = format!("POST {base} {body}");
        read(self.node.post(base, &body, Some(&who.token)).await, StatusCode::CREATED, &at).await
    }

    /// One document of `base` each for `rep1`, `rep2`, `mgr` and `boss`.
    async fn documents(&self, base: &str) -> Documents {
        let mut made = Vec::new();
        for (who, title) in [(&self.rep1, "r1"), (&self.rep2, "r2"), (&self.mgr, "m"), (&self.boss, "b")] {
            made.push(id(&self.open(who, base, json!({"title": title})).await));
        }
        let [r1, r2, m, b] = made.try_into().expect("four documents");
        Documents { r1, r2, m, b }
    }

    /// Asserts the statuses `who` gets reading, changing and deleting the document at `path`.
    async fn read_change_delete(&self, who: &Member, path: &str, statuses: [StatusCode; 3]) {
        let (node, token) = (&self.node, Some(who.token.as_str()));
        read(node.get(path, token).await, statuses[0], &format!("GET {path}")).await;
        read(node.patch(path, &edit(), token).await, statuses[1], &format!("PATCH {path}")).await;
        read(node.delete(path, token).await, statuses[2], &format!("DELETE {path}")).await;
    }

    /// The sorted ids of the documents of `base` `who` lists (up to 100).
    async fn listed(&self, who: &Member, base: &str) -> Vec<String> {
        ids(&self.node.get_json(&format!("{base}?limit=100"), Some(&who.token)).await)
    }
}

/// A change of title.
fn edit() -> Value {
    json!({"title": "Edited"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_list_own_ones_those_owned_below_and_all_to_the_administrator() {
    let fx = tree().await;
    for base in DOCUMENTS {
        let Documents { r1, r2, m, b } = fx.documents(base).await;
        assert_eq!(fx.listed(&fx.rep1, base).await, std::slice::from_ref(&r1), "{base}");
        assert_eq!(fx.listed(&fx.mgr, base).await, set(vec![r1.clone(), r2.clone(), m.clone()]), "{base}");
        assert_eq!(fx.listed(&fx.boss, base).await, set(vec![r1, r2, m, b]), "{base}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_of_a_sibling_the_role_above_or_outside_the_tree_is_404_to_read_change_and_delete() {
    let fx = tree().await;
    for base in DOCUMENTS {
        let Documents { r2, m, b, .. } = fx.documents(base).await;
        for d in [r2, m, b] {
            fx.read_change_delete(&fx.rep1, &format!("{base}/{d}"), [StatusCode::NOT_FOUND; 3]).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standard_reads_the_documents_owned_below_but_may_not_change_or_delete_them() {
    let fx = tree().await;
    for base in DOCUMENTS {
        let path = format!("{base}/{}", fx.documents(base).await.r1);
        fx.read_change_delete(&fx.mgr, &path, [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_profile_changes_anyones_document_and_is_recorded_as_its_modifier() {
    let fx = tree().await;
    for base in DOCUMENTS {
        let path = format!("{base}/{}", fx.documents(base).await.r1);
        let edited = answer!(fx.node.patch(&path, &edit(), Some(&fx.boss.token)), OK);
        assert_eq!(edited["modifiedBy"], json!(fx.boss.id), "{edited}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_owner_must_be_someone_the_caller_sees() {
    let fx = tree().await;
    let (node, mgr, rep1) = (&fx.node, &fx.mgr, &fx.rep1);
    for base in DOCUMENTS {
        for owner in [&mgr.id, &fx.rep2.id, &uuid::Uuid::new_v4().to_string()] {
            let body = json!({"title": "Up", "ownerId": owner});
            named(&answer!(node.post(base, &body, Some(&rep1.token)), UNPROCESSABLE_ENTITY), "ownerId");
        }
        let assigned = fx.open(mgr, base, json!({"title": "Given", "ownerId": rep1.id})).await;
        assert_eq!((&assigned["ownerId"], &assigned["createdBy"]), (&json!(rep1.id), &json!(mgr.id)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_references_only_contacts_accounts_and_tickets_the_caller_sees() {
    let fx = tree().await;
    let (node, rep1, stranger) = (&fx.node, &fx.rep1, &fx.stranger);
    let person = json!({"firstName": "S", "lastName": "Hidden", "email": "hidden@contacts.example"});
    let hidden = id(&answer!(node.post("/crm/contacts", &person, Some(&stranger.token)), CREATED));
    let company = json!({"name": "Hidden Co", "billingStreet": "1 Main St", "billingCity": "Lisbon"});
    let hidden_account = id(&answer!(node.post("/crm/accounts", &company, Some(&stranger.token)), CREATED));
    let ticket = fx.open(stranger, "/desk/tickets", json!({"subject": "T", "description": "D"})).await;
    let references = [
        ("contactId", &hidden),
        ("accountId", &hidden_account),
        // A contact's id is no account's.
        ("accountId", &hidden),
        ("ticketId", &id(&ticket)),
    ];
    for base in DOCUMENTS {
        for (field, value) in references {
            let body = json!({"title": "Peek", field: value});
            named(&answer!(node.post(base, &body, Some(&rep1.token)), UNPROCESSABLE_ENTITY), field);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_list_by_the_ticket_they_are_linked_to() {
    let fx = tree().await;
    let own = id(&fx.open(&fx.rep1, "/desk/tickets", json!({"subject": "T", "description": "D"})).await);
    for base in DOCUMENTS {
        fx.documents(base).await;
        let linked = fx.open(&fx.rep1, base, json!({"title": "Linked", "ticketId": own})).await;
        let page = fx.node.get_json(&format!("{base}?ticketId={own}"), Some(&fx.rep1.token)).await;
        assert_eq!(ids(&page), [id(&linked)], "{base}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_its_owner_deletes_is_gone_for_everyone() {
    let fx = tree().await;
    let (node, boss) = (&fx.node, &fx.boss);
    for base in DOCUMENTS {
        let r1 = fx.documents(base).await.r1;
        let path = format!("{base}/{r1}");
        answer!(node.delete(&path, Some(&fx.rep1.token)), NO_CONTENT);
        answer!(node.get(&path, Some(&boss.token)), NOT_FOUND);
        assert!(!fx.listed(boss, base).await.contains(&r1), "{base}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_without_work_orders_may_not_list_open_or_read_them() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let permissions = json!({"workOrders": {"create": false, "read": false, "update": false, "delete": false}});
    let none = profile(&node, &admin, "None", permissions).await;
    let blind = member(&node, &admin, "blind", None, Some(&none)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    answer!(node.get("/desk/work-orders", Some(&blind.token)), FORBIDDEN);
    answer!(node.post("/desk/work-orders", &json!({"title": "x"}), Some(&blind.token)), FORBIDDEN);
    let some = id(&answer!(node.post("/desk/work-orders", &json!({"title": "b"}), Some(&boss.token)), CREATED));
    answer!(node.get(&format!("/desk/work-orders/{some}"), Some(&blind.token)), FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_writes_nothing() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let order = answer!(node.post("/desk/work-orders", &json!({"title": "Keep"}), Some(&me.token)), CREATED);
    let estimate = answer!(node.post("/desk/estimates", &json!({"title": "Keep"}), Some(&me.token)), CREATED);
    let bad = [
        (json!({}), "title"),
        (json!({"title": ""}), "title"),
        (json!({"title": null}), "title"),
        (json!({"title": "x", "currency": "EURO"}), "currency"),
        (json!({"title": "x", "currency": "E1R"}), "currency"),
        (json!({"title": "x", "serviceAddress": {"planet": "Mars"}}), "serviceAddress"),
        (json!({"title": "x", "billingAddress": "Lisbon"}), "billingAddress"),
        (json!({"title": "x", "contactId": "nope"}), "contactId"),
        (json!({"title": "x", "lines": {"kind": "part"}}), "lines"),
        (json!({"title": "x", "lines": null}), "lines"),
        (json!({"title": "x", "status": "won"}), "status"),
    ];
    for base in DOCUMENTS {
        let record = if base.ends_with("orders") { &order } else { &estimate };
        let path = format!("{base}/{}", id(record));
        for (body, field) in &bad {
            named_within(&answer!(node.post(base, body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
            if *field != "title" || body.get("title").is_some() {
                named_within(&answer!(node.patch(&path, body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
            }
        }
        named(&answer!(node.get(&format!("{base}?sort=colour"), Some(&me.token)), UNPROCESSABLE_ENTITY), "sort");
        named(&answer!(node.get(&format!("{base}?status=won"), Some(&me.token)), UNPROCESSABLE_ENTITY), "status");
        named(&answer!(node.get(&format!("{base}?limit=0"), Some(&me.token)), UNPROCESSABLE_ENTITY), "limit");
        answer!(node.get(&format!("{base}/not-a-uuid"), Some(&me.token)), BAD_REQUEST);
        assert_eq!(total(&node, &me.token, base).await, 1);
        assert_eq!(node.get_json(&path, Some(&me.token)).await, *record);
    }
    for (base, body, field) in [
        ("/desk/work-orders", json!({"title": "x", "priority": "urgent"}), "priority"),
        ("/desk/work-orders", json!({"title": "x", "billingStatus": "free"}), "billingStatus"),
        ("/desk/work-orders", json!({"title": "x", "dueDate": "tomorrow"}), "dueDate"),
        ("/desk/estimates", json!({"title": "x", "validUntil": "2030-02-30"}), "validUntil"),
    ] {
        named(&answer!(node.post(base, &body, Some(&me.token)), UNPROCESSABLE_ENTITY), field);
    }
    assert_eq!(total(&node, &me.token, "/desk/work-orders").await, 1);
    assert_eq!(total(&node, &me.token, "/desk/estimates").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversion_failing_halfway_writes_nothing() {
    let Priced { node, me, c, .. } = priced().await;
    let body = json!({"title": "Boiler", "lines": [{"kind": "service", "itemId": c.service, "quantity": 1}]});
    let estimate = id(&answer!(node.post("/desk/estimates", &body, Some(&me.token)), CREATED));
    // The work order is inserted, then copying its lines fails: a trigger the test installs.
    node.sql(
        "CREATE FUNCTION desk.refuse_order_lines() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN IF NEW.work_order_id IS NOT NULL THEN RAISE EXCEPTION 'refused by the test'; END IF; \
         RETURN NEW; END $$",
    )
    .await;
    node.sql(
        "CREATE TRIGGER refuse BEFORE INSERT ON desk.order_lines FOR EACH ROW EXECUTE FUNCTION desk.refuse_order_lines()",
    )
    .await;
    let failed = node.post(&format!("/desk/estimates/{estimate}/convert"), &json!({}), Some(&me.token)).await;
    let problem = read(failed, StatusCode::INTERNAL_SERVER_ERROR, "the conversion the trigger refuses").await;
    assert_eq!(problem["status"], 500, "{problem}");
    assert_eq!(total(&node, &me.token, "/desk/work-orders").await, 0, "no work order was left behind");
    let after = node.get_json(&format!("/desk/estimates/{estimate}"), Some(&me.token)).await;
    assert_eq!((&after["status"], &after["convertedWorkOrderId"]), (&json!("draft"), &Value::Null), "{after}");

    node.sql("DROP TRIGGER refuse ON desk.order_lines").await;
    answer!(node.post(&format!("/desk/estimates/{estimate}/convert"), &json!({}), Some(&me.token)), OK);
    assert_eq!(total(&node, &me.token, "/desk/work-orders").await, 1);
}
