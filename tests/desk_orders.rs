//! Desk catalog, work orders and estimates: catalog CRUD and who may write it, exact totals
//! through the API (discounts, several taxes, rounding to the minor unit), status transitions,
//! atomic estimate conversion, a permission matrix over profiles and the role tree, and bad input
//! that writes nothing.

mod common;

use common::answers::{answer, fields, id, named, read};
use common::crm::{member, role, Member};
use common::TestNode;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMINISTRATOR: &str = "00000000-0000-4000-8000-000000000001";
/// The ids of a page's items, sorted.
fn ids(page: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        page["items"].as_array().unwrap_or_else(|| panic!("no items in {page}")).iter().map(id).collect();
    ids.sort();
    ids
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_is_written_by_administrators_and_read_by_everyone() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let me = member(&node, &admin, "me", None, None).await;

    let service =
        answer!(node.post("/desk/services", &json!({"name": " Install ", "netPrice": 80.5}), Some(&admin)), CREATED);
    assert_eq!((&service["name"], &service["netPrice"]), (&json!("Install"), &json!("80.5")), "{service}");
    assert!(service.get("price").is_none() && service.get("percentage").is_none(), "{service}");
    let part =
        answer!(node.post("/desk/parts", &json!({"name": "Cable", "price": "12.30"}), Some(&boss.token)), CREATED);
    assert_eq!(part["price"], "12.30", "{part}");
    let tax = answer!(node.post("/desk/taxes", &json!({"name": "VAT", "percentage": "7.125"}), Some(&admin)), CREATED);
    assert_eq!(tax["percentage"], "7.125", "{tax}");

    // Everyone signed in reads; only administrators write.
    for (catalog, field, record) in
        [("services", "netPrice", &service), ("parts", "price", &part), ("taxes", "percentage", &tax)]
    {
        let path = format!("/desk/{catalog}/{}", id(record));
        assert_eq!(node.get_json(&path, Some(&me.token)).await, *record);
        assert_eq!(ids(&node.get_json(&format!("/desk/{catalog}"), Some(&me.token)).await), [id(record)]);
        answer!(node.post(&format!("/desk/{catalog}"), &json!({"name": "x", field: 1}), Some(&me.token)), FORBIDDEN);
        answer!(node.patch(&path, &json!({"name": "Mine"}), Some(&me.token)), FORBIDDEN);
        answer!(node.delete(&path, Some(&me.token)), FORBIDDEN);
        answer!(node.get(&format!("/desk/{catalog}"), None), UNAUTHORIZED);
    }
    let renamed = answer!(
        node.patch(&format!("/desk/services/{}", id(&service)), &json!({"netPrice": "90"}), Some(&boss.token)),
        OK
    );
    assert_eq!((&renamed["name"], &renamed["netPrice"]), (&json!("Install"), &json!("90")), "{renamed}");

    // Bad input: 4xx naming the field, nothing written.
    let bad = [
        ("services", json!({"name": "Neg", "netPrice": -1}), "netPrice"),
        ("services", json!({"name": "Wrong", "price": 1}), "price"),
        ("services", json!({"name": "NoPrice"}), "netPrice"),
        ("services", json!({"netPrice": 1}), "name"),
        ("services", json!({"name": "Many", "netPrice": "1.23456"}), "netPrice"),
        ("services", json!({"name": "Text", "netPrice": "abc"}), "netPrice"),
        ("parts", json!({"name": "  ", "price": 1}), "name"),
        ("taxes", json!({"name": "Big", "percentage": 101}), "percentage"),
        ("taxes", json!({"name": "Fine", "percentage": "1.2345"}), "percentage"),
        ("taxes", json!({"name": "Neg", "percentage": -0.5}), "percentage"),
    ];
    for (catalog, body, field) in bad {
        named(&answer!(node.post(&format!("/desk/{catalog}"), &body, Some(&admin)), UNPROCESSABLE_ENTITY), field);
    }
    named(
        &answer!(node.post("/desk/services", &json!({"name": "install", "netPrice": 1}), Some(&admin)), CONFLICT),
        "name",
    );
    let unknown_field = json!({"name": "X", "price": 1, "color": "red"});
    named(&answer!(node.post("/desk/parts", &unknown_field, Some(&admin)), UNPROCESSABLE_ENTITY), "color");
    let cleared = json!({"percentage": null});
    let tax_path = format!("/desk/taxes/{}", id(&tax));
    named(&answer!(node.patch(&tax_path, &cleared, Some(&admin)), UNPROCESSABLE_ENTITY), "percentage");
    answer!(node.get("/desk/gadgets", Some(&admin)), NOT_FOUND);
    answer!(node.get(&format!("/desk/parts/{}", uuid::Uuid::new_v4()), Some(&admin)), NOT_FOUND);
    for catalog in ["services", "parts", "taxes"] {
        assert_eq!(total(&node, &admin, &format!("/desk/{catalog}")).await, 1, "{catalog}");
    }
    assert_eq!(node.get_json(&format!("/desk/taxes/{}", id(&tax)), Some(&me.token)).await["percentage"], "7.125");
    assert_eq!(total(&node, &admin, "/desk/services?search=INST").await, 1);
    assert_eq!(total(&node, &admin, "/desk/services?search=zzz").await, 0);

    // An item on a line cannot be deleted; an unused one can.
    let order =
        json!({"title": "Uses", "lines": [{"kind": "part", "itemId": id(&part), "quantity": 1, "taxId": id(&tax)}]});
    answer!(node.post("/desk/work-orders", &order, Some(&me.token)), CREATED);
    answer!(node.delete(&format!("/desk/parts/{}", id(&part)), Some(&admin)), CONFLICT);
    answer!(node.delete(&format!("/desk/taxes/{}", id(&tax)), Some(&admin)), CONFLICT);
    answer!(node.delete(&format!("/desk/services/{}", id(&service)), Some(&boss.token)), NO_CONTENT);
    answer!(node.get(&format!("/desk/services/{}", id(&service)), Some(&me.token)), NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totals_are_exact_and_rounded_per_line_to_the_minor_unit() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let c = catalog(&node, &admin).await;
    let line = |kind: &str, item: &str, extra: Value| {
        let mut line = json!({"kind": kind, "itemId": item});
        for (key, value) in extra.as_object().into_iter().flatten() {
            line[key] = value.clone();
        }
        line
    };

    // Several taxes, a zero rate and an untaxed line; catalog prices by default.
    let lines = json!([
        line("service", &c.service, json!({"quantity": 1, "taxId": c.vat})),
        line("part", &c.part, json!({"quantity": 3, "taxId": c.reduced})),
        line("service", &c.service, json!({"quantity": 1, "unitPrice": 50, "taxId": c.zero})),
        line("part", &c.part, json!({"quantity": "2", "unitPrice": "12.5"})),
    ]);
    let order =
        answer!(node.post("/desk/work-orders", &json!({"title": "Taxes", "lines": lines}), Some(&me.token)), CREATED);
    assert_eq!(totals(&order), ["204.97", "0.00", "24.80", "229.77"], "{order}");
    assert_eq!(order["lines"][1]["unitPrice"], "9.99", "{order}");
    assert_eq!(order["lines"][1]["taxPercentage"], "6", "{order}");
    assert_eq!(
        order["lines"][1]["totals"],
        json!({"subtotal": "29.97", "discount": "0.00", "tax": "1.80", "total": "31.77"})
    );
    assert!(order["lines"][3]["taxPercentage"].is_null(), "{order}");
    assert_eq!(
        (&order["status"], &order["priority"], &order["billingStatus"]),
        (&json!("new"), &json!("medium"), &json!("pending"))
    );
    assert_eq!(order["currency"], "EUR");
    let path = format!("/desk/work-orders/{}", id(&order));
    assert_eq!(node.get_json(&path, Some(&me.token)).await, order);

    // Discount amounts before tax; a PATCH with lines replaces them and recomputes.
    let lines = json!([
        line("service", &c.service, json!({"quantity": 4, "unitPrice": 25, "discount": 10, "taxId": c.vat})),
        line("part", &c.part, json!({"quantity": 1, "unitPrice": "19.99", "discount": "4.99"})),
    ]);
    let changed = answer!(node.patch(&path, &json!({"lines": lines}), Some(&me.token)), OK);
    assert_eq!(totals(&changed), ["119.99", "14.99", "20.70", "125.70"], "{changed}");
    assert_eq!(changed["lines"].as_array().map(Vec::len), Some(2));
    // Without lines the totals stay.
    let renamed = answer!(node.patch(&path, &json!({"title": "Renamed"}), Some(&me.token)), OK);
    assert_eq!((totals(&renamed), &renamed["lines"]), (totals(&changed), &changed["lines"]));

    // JPY has no decimals; an estimate totals the same way.
    let lines = json!([line(
        "part",
        &c.part,
        json!({"quantity": 3, "unitPrice": "333.5", "discount": "0.5", "taxId": c.reduced})
    )]);
    let yen = answer!(
        node.post("/desk/estimates", &json!({"title": "Yen", "currency": "jpy", "lines": lines}), Some(&me.token)),
        CREATED
    );
    assert_eq!(
        (totals(&yen), &yen["currency"]),
        (["1001", "1", "60", "1060"].map(String::from), &json!("JPY")),
        "{yen}"
    );
    assert_eq!(yen["status"], "draft");
    // Changing the currency alone re-rounds the stored lines.
    let euros =
        answer!(node.patch(&format!("/desk/estimates/{}", id(&yen)), &json!({"currency": "EUR"}), Some(&me.token)), OK);
    assert_eq!(totals(&euros), ["1000.50", "0.50", "60.00", "1060.00"], "{euros}");
    let empty = answer!(node.post("/desk/work-orders", &json!({"title": "Empty"}), Some(&me.token)), CREATED);
    assert_eq!(totals(&empty), ["0.00", "0.00", "0.00", "0.00"], "{empty}");

    // Refused lines: 422 naming the line field; nothing written.
    let before = (total(&node, &me.token, "/desk/work-orders").await, node.get_json(&path, Some(&me.token)).await);
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
        let problem = answer!(node.post("/desk/work-orders", &body, Some(&me.token)), UNPROCESSABLE_ENTITY);
        assert!(fields(&problem).iter().any(|f| f.starts_with(field)), "{field} not named in {problem}");
        let problem = answer!(node.patch(&path, &json!({"lines": [bad]}), Some(&me.token)), UNPROCESSABLE_ENTITY);
        assert!(fields(&problem).iter().any(|f| f.starts_with(field)), "{field} not named in {problem}");
    }
    let after = (total(&node, &me.token, "/desk/work-orders").await, node.get_json(&path, Some(&me.token)).await);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn estimates_convert_once_atomically() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let c = catalog(&node, &admin).await;
    let body = json!({
        "title": "Boiler", "summary": "Replace", "currency": "USD", "termsAndConditions": "30 days",
        "serviceAddress": {"street": "1 Main St", "city": "Lisbon"},
        "lines": [{"kind": "service", "itemId": c.service, "quantity": "1.5", "taxId": c.vat},
                  {"kind": "part", "itemId": c.part, "quantity": 2, "discount": "0.98"}],
    });
    let estimate = answer!(node.post("/desk/estimates", &body, Some(&me.token)), CREATED);
    assert_eq!(totals(&estimate), ["169.98", "0.98", "34.50", "203.50"], "{estimate}");
    let path = format!("/desk/estimates/{}/convert", id(&estimate));

    let converted = answer!(node.post(&path, &json!({}), Some(&me.token)), OK);
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
    let strip = |lines: &Value| -> Vec<Value> {
        lines
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                let mut l = l.clone();
                l["id"] = Value::Null;
                l
            })
            .collect()
    };
    assert_eq!(strip(&order["lines"]), strip(&estimate["lines"]));
    assert_eq!(node.get_json(&format!("/desk/work-orders/{}", id(order)), Some(&me.token)).await, *order);

    // Twice: 409, nothing new.
    answer!(node.post(&path, &json!({}), Some(&me.token)), CONFLICT);
    assert_eq!(total(&node, &me.token, "/desk/work-orders").await, 1);

    // Two at once: one wins, the other sees it.
    let second = id(&answer!(node.post("/desk/estimates", &body, Some(&me.token)), CREATED));
    let path = format!("/desk/estimates/{second}/convert");
    let nothing = json!({});
    let (a, b) = tokio::join!(node.post(&path, &nothing, Some(&me.token)), node.post(&path, &nothing, Some(&me.token)));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(total(&node, &me.token, "/desk/work-orders").await, 2);

    // A profile that may only read estimates cannot convert; nothing is written.
    let permissions = json!({"estimates": {"create": false, "read": true, "update": false, "delete": false},
        "workOrders": {"create": true, "read": true, "update": true, "delete": true}});
    let reading = id(&answer!(
        node.post("/crm/profiles", &json!({"name": "Reader", "permissions": permissions}), Some(&admin)),
        CREATED
    ));
    let reader = member(&node, &admin, "reader", None, Some(&reading)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let theirs = id(&answer!(
        node.post("/desk/estimates", &json!({"title": "R", "ownerId": reader.id}), Some(&boss.token)),
        CREATED
    ));
    let path = format!("/desk/estimates/{theirs}/convert");
    answer!(node.post(&path, &json!({}), Some(&reader.token)), FORBIDDEN);
    assert_eq!(node.get_json(&format!("/desk/estimates/{theirs}"), Some(&reader.token)).await["status"], "draft");
    assert_eq!(total(&node, &boss.token, "/desk/work-orders").await, 2);
    answer!(
        node.post(&format!("/desk/estimates/{}/convert", uuid::Uuid::new_v4()), &json!({}), Some(&me.token)),
        NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_follow_profiles_and_the_role_tree() {
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let manager_role = role(&node, &admin, "Manager", None).await;
    let rep_role = role(&node, &admin, "Rep", Some(&manager_role)).await;
    let boss = member(&node, &admin, "boss", None, Some(ADMINISTRATOR)).await;
    let mgr = member(&node, &admin, "mgr", Some(&manager_role), None).await;
    let rep1 = member(&node, &admin, "rep1", Some(&rep_role), None).await;
    let rep2 = member(&node, &admin, "rep2", Some(&rep_role), None).await;
    let stranger = member(&node, &admin, "stranger", None, None).await;

    for base in ["/desk/work-orders", "/desk/estimates"] {
        let open = |who: &Member, title: &str| {
            let body = json!({"title": title});
            let token = who.token.clone();
            let node = &node;
            async move { id(&answer!(node.post(base, &body, Some(&token)), CREATED)) }
        };
        let r1 = open(&rep1, "r1").await;
        let r2 = open(&rep2, "r2").await;
        let m = open(&mgr, "m").await;
        let b = open(&boss, "b").await;
        let path = |d: &str| format!("{base}/{d}");
        let edit = json!({"title": "Edited"});
        let listed = |who: &Member| {
            let token = who.token.clone();
            let node = &node;
            async move { ids(&node.get_json(&format!("{base}?limit=100"), Some(&token)).await) }
        };
        let mut all = vec![r1.clone(), r2.clone(), m.clone(), b.clone()];
        all.sort();
        assert_eq!(listed(&rep1).await, std::slice::from_ref(&r1));
        assert_eq!(listed(&mgr).await.len(), 3);
        assert_eq!(listed(&boss).await, all);
        for d in [&r2, &m, &b] {
            answer!(node.get(&path(d), Some(&rep1.token)), NOT_FOUND);
            answer!(node.patch(&path(d), &edit, Some(&rep1.token)), NOT_FOUND);
            answer!(node.delete(&path(d), Some(&rep1.token)), NOT_FOUND);
        }
        answer!(node.get(&path(&r1), Some(&mgr.token)), OK);
        answer!(node.patch(&path(&r1), &edit, Some(&mgr.token)), FORBIDDEN);
        answer!(node.delete(&path(&r1), Some(&mgr.token)), FORBIDDEN);
        assert_eq!(answer!(node.patch(&path(&r1), &edit, Some(&boss.token)), OK)["modifiedBy"], json!(boss.id));
        // Owners must be visible; references must be visible.
        for owner in [&mgr.id, &rep2.id, &uuid::Uuid::new_v4().to_string()] {
            named(
                &answer!(
                    node.post(base, &json!({"title": "Up", "ownerId": owner}), Some(&rep1.token)),
                    UNPROCESSABLE_ENTITY
                ),
                "ownerId",
            );
        }
        let assigned =
            answer!(node.post(base, &json!({"title": "Given", "ownerId": rep1.id}), Some(&mgr.token)), CREATED);
        assert_eq!((&assigned["ownerId"], &assigned["createdBy"]), (&json!(rep1.id), &json!(mgr.id)));
        let hidden = id(&answer!(
            node.post(
                "/crm/contacts",
                &json!({"firstName": "S", "lastName": "Hidden", "email": format!("hidden{}@contacts.example", base.len())}),
                Some(&stranger.token)
            ),
            CREATED
        ));
        let ticket = id(&answer!(
            node.post("/desk/tickets", &json!({"subject": "T", "description": "D"}), Some(&stranger.token)),
            CREATED
        ));
        for (field, value) in [("contactId", &hidden), ("accountId", &hidden), ("ticketId", &ticket)] {
            named(
                &answer!(
                    node.post(base, &json!({"title": "Peek", field: value}), Some(&rep1.token)),
                    UNPROCESSABLE_ENTITY
                ),
                field,
            );
        }
        let own = id(&answer!(
            node.post("/desk/tickets", &json!({"subject": "T", "description": "D"}), Some(&rep1.token)),
            CREATED
        ));
        let linked = answer!(node.post(base, &json!({"title": "Linked", "ticketId": own}), Some(&rep1.token)), CREATED);
        assert_eq!(ids(&node.get_json(&format!("{base}?ticketId={own}"), Some(&rep1.token)).await), [id(&linked)]);
        // Own delete is soft: 404 for everyone from then on.
        answer!(node.delete(&path(&r1), Some(&rep1.token)), NO_CONTENT);
        answer!(node.get(&path(&r1), Some(&boss.token)), NOT_FOUND);
        assert!(!listed(&boss).await.contains(&r1));
    }

    // A profile without the module: 403 on every endpoint.
    let permissions = json!({"workOrders": {"create": false, "read": false, "update": false, "delete": false}});
    let none = id(&answer!(
        node.post("/crm/profiles", &json!({"name": "None", "permissions": permissions}), Some(&admin)),
        CREATED
    ));
    let blind = member(&node, &admin, "blind", None, Some(&none)).await;
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
    for base in ["/desk/work-orders", "/desk/estimates"] {
        let record = if base.ends_with("orders") { &order } else { &estimate };
        let path = format!("{base}/{}", id(record));
        for (body, field) in &bad {
            let problem = answer!(node.post(base, body, Some(&me.token)), UNPROCESSABLE_ENTITY);
            assert!(fields(&problem).iter().any(|f| f.starts_with(field)), "{field} not named in {problem}");
            if *field != "title" || body.get("title").is_some() {
                let problem = answer!(node.patch(&path, body, Some(&me.token)), UNPROCESSABLE_ENTITY);
                assert!(fields(&problem).iter().any(|f| f.starts_with(field)), "{field} not named in {problem}");
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
    let node = TestNode::spawn().await;
    let admin = node.admin("root").await;
    let me = member(&node, &admin, "me", None, None).await;
    let c = catalog(&node, &admin).await;
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
