//! The OpenAPI document describes every record module's shared routes from its `RecordKind`, with
//! the schemas each answers (built from the document itself, no node needed).

use gateway::openapi::ApiDoc;
use serde_json::Value;
use utoipa::OpenApi;

const MODULES: [&str; 7] = [
    "/crm/contacts",
    "/crm/accounts",
    "/crm/leads",
    "/crm/deals",
    "/desk/tickets",
    "/desk/work-orders",
    "/desk/estimates",
];

fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap()
}

/// The schema `schema` refers to (itself when it is no reference), which must be in the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let Some(reference) = schema["$ref"].as_str() else { return schema };
    let name = reference.trim_start_matches("#/components/schemas/");
    let found = &doc["components"]["schemas"][name];
    assert!(found.is_object(), "schema {name} is referred to but missing");
    found
}

/// Every property name of `schema`, following references and `allOf`.
fn properties(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut names: Vec<String> = schema["properties"].as_object().into_iter().flat_map(|p| p.keys().cloned()).collect();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        names.extend(properties(doc, part));
    }
    names
}

/// The property names of what `operation` answers with `status`.
fn answer(doc: &Value, operation: &Value, status: &str) -> Vec<String> {
    let schema = &operation["responses"][status]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "no schema for {status}: {operation}");
    properties(doc, schema)
}

#[test]
fn every_record_module_documents_its_seven_shared_routes() {
    let doc = document();
    for base in MODULES {
        for (path, method) in [
            (base.to_string(), "get"),
            (base.to_string(), "post"),
            (format!("{base}/{{id}}"), "get"),
            (format!("{base}/{{id}}"), "patch"),
            (format!("{base}/{{id}}"), "delete"),
            (format!("{base}/bulk-update"), "post"),
            (format!("{base}/bulk-delete"), "post"),
        ] {
            assert!(doc["paths"][&path][method].is_object(), "{method} {path} is not documented");
        }
    }
}

#[test]
fn documents_answer_their_own_fields_and_lines_and_tickets_their_crm_links() {
    let doc = document();
    for (base, fields) in [
        ("/desk/work-orders", ["lines", "billingStatus"]),
        ("/desk/estimates", ["lines", "validUntil"]),
        ("/desk/tickets", ["contact", "overdue"]),
    ] {
        for (operation, status) in [("post", "201"), ("get", "200")] {
            let path = if operation == "get" { format!("{base}/{{id}}") } else { base.to_string() };
            let answered = answer(&doc, &doc["paths"][&path][operation], status);
            for field in fields {
                assert!(
                    answered.iter().any(|name| name == field),
                    "{operation} {path} answers no {field}: {answered:?}"
                );
            }
        }
    }
    let contact = answer(&doc, &doc["paths"]["/crm/contacts"]["post"], "201");
    assert!(contact.iter().any(|name| name == "email"), "a contact create answers the contact: {contact:?}");
}
