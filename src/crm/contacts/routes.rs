//! HTTP routes of CRM contacts.

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::input::{check_ids, BulkDeleteRequest, BulkUpdateRequest, ContactChanges, ContactRequest};
use super::messages::*;
use super::store::{ContactList, ContactListQuery};
use super::Contact;
use crate::auth::Principal;
use crate::crm::actor::CrmActor;
use crate::error::{Error, Problem};
use crate::http::json::Json;

type Crm = web::Data<Addr<CrmActor>>;

/// The answer of a bulk request: one outcome per id, in the order given.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    pub results: Vec<BulkOutcome>,
}

/// Mounts the contact routes (bulk routes before `/{id}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(bulk_update_contacts)
        .service(bulk_delete_contacts)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact);
}

/// Lists the contacts the caller may see (visibility applied in SQL).
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(ContactListQuery), responses(
    (status = 200, description = "A page of contacts", body = Object),
    (status = 403, description = "The profile does not allow reading contacts", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid page, limit, ownerId or sort", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/contacts")]
async fn list_contacts(
    crm: Crm,
    Principal(claims): Principal,
    query: web::Query<ContactListQuery>,
) -> Result<HttpResponse, Error> {
    let list = ContactList::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(crm.send(ListContacts { claims, list }).await??))
}

/// Creates a contact.
#[utoipa::path(tag = "crm", security(("bearer" = [])), request_body = ContactRequest, responses(
    (status = 201, description = "Created", body = Contact),
    (status = 403, description = "The profile does not allow creating contacts", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Email taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/contacts")]
async fn create_contact(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<ContactRequest>,
) -> Result<HttpResponse, Error> {
    let changes = ContactChanges::parse(body.0, true)?;
    Ok(HttpResponse::Created().json(crm.send(CreateContact { claims, changes }).await??))
}

/// Reads a contact.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The contact", body = Contact),
    (status = 403, description = "The profile does not allow reading contacts", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such contact, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/contacts/{id}")]
async fn get_contact(crm: Crm, Principal(claims): Principal, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(crm.send(GetContact { claims, id: id.into_inner() }).await??))
}

/// Updates a contact.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ContactRequest, responses(
    (status = 200, description = "Updated", body = Contact),
    (status = 403, description = "The profile does not allow this update", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such contact, or not visible", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Email taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/crm/contacts/{id}")]
async fn update_contact(
    crm: Crm,
    Principal(claims): Principal,
    id: web::Path<Uuid>,
    body: Json<ContactRequest>,
) -> Result<HttpResponse, Error> {
    let changes = ContactChanges::parse(body.0, false)?;
    Ok(HttpResponse::Ok().json(crm.send(UpdateContact { claims, id: id.into_inner(), changes }).await??))
}

/// Deletes a contact.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "The profile does not allow this delete", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such contact, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/crm/contacts/{id}")]
async fn delete_contact(crm: Crm, Principal(claims): Principal, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    crm.send(DeleteContact { claims, id: id.into_inner() }).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Applies the same changes to many contacts; answers per id which succeeded and why others failed.
#[utoipa::path(tag = "crm", security(("bearer" = [])), request_body = BulkUpdateRequest, responses(
    (status = 200, description = "One outcome per id", body = BulkAnswer),
    (status = 422, description = "Invalid ids or changes", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/contacts/bulk-update")]
async fn bulk_update_contacts(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<BulkUpdateRequest>,
) -> Result<HttpResponse, Error> {
    check_ids(&body.0.ids)?;
    let changes = ContactChanges::parse(body.0.changes, false)?;
    let results = crm.send(BulkUpdateContacts { claims, ids: body.0.ids, changes }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}

/// Deletes many contacts; answers per id which succeeded and why others failed.
#[utoipa::path(tag = "crm", security(("bearer" = [])), request_body = BulkDeleteRequest, responses(
    (status = 200, description = "One outcome per id", body = BulkAnswer),
    (status = 422, description = "Invalid ids", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/contacts/bulk-delete")]
async fn bulk_delete_contacts(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<BulkDeleteRequest>,
) -> Result<HttpResponse, Error> {
    check_ids(&body.0.ids)?;
    let results = crm.send(BulkDeleteContacts { claims, ids: body.0.ids }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}
