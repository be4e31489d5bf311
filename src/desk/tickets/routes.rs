//! HTTP routes of the desk: tickets, their comments and activity.

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use std::collections::HashMap;
use uuid::Uuid;

use super::comments::{Comment, CommentRequest};
use super::messages::*;
use super::model::{TicketChanges, Tickets};
use super::views::TicketView;
use crate::access::Scoped;
use crate::desk::actor::DeskActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};
use crate::records::list::RecordList;
use crate::records::RecordBody;

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the desk routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_tickets)
        .service(create_ticket)
        .service(get_ticket)
        .service(update_ticket)
        .service(delete_ticket)
        .service(add_comment)
        .service(list_comments)
        .service(list_activity);
}

/// Lists the tickets the caller may see: `page, limit, search (subject/description), status,
/// priority, ownerId, contactId, accountId, overdue (true|false), sort` (`createdAt, updatedAt,
/// dueDate, priority, status, subject`, `-` for descending).
#[utoipa::path(tag = "tickets", security(("bearer" = [])), responses(
    (status = 200, description = "`{items, total, page, limit}`; contact and account names resolved through the CRM"),
    (status = 403, description = "The profile does not allow reading tickets", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid page, limit, filter or sort", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/tickets")]
async fn list_tickets(
    desk: Desk,
    Scoped(scope): Scoped,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, Error> {
    let list = RecordList::parse::<Tickets>(query.into_inner())?;
    Ok(HttpResponse::Ok().json(desk.send(ListTickets { scope, list }).await??))
}

/// Opens a ticket; its dueDate defaults to now + the priority's SLA target.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), request_body = TicketChanges, responses(
    (status = 201, description = "Opened", body = TicketView),
    (status = 403, description = "The profile does not allow creating tickets", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, or a contact/account/owner you cannot see", body = Problem, content_type = "application/problem+json"),
))]
#[post("/desk/tickets")]
async fn create_ticket(
    desk: Desk,
    Scoped(scope): Scoped,
    Valid(changes): Valid<RecordBody<Tickets>>,
) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Created().json(desk.send(CreateTicket { scope, changes }).await??))
}

/// Reads a ticket.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The ticket", body = TicketView),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/tickets/{id}")]
async fn get_ticket(desk: Desk, Scoped(scope): Scoped, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(desk.send(GetTicket { scope, id: id.into_inner() }).await??))
}

/// Changes a ticket; an illegal status move (a closed ticket reopens only to open) is 409.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = TicketChanges, responses(
    (status = 200, description = "Changed", body = TicketView),
    (status = 403, description = "The profile does not allow this update", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Illegal status transition, naming both states", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/desk/tickets/{id}")]
async fn update_ticket(
    desk: Desk,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    Valid(changes): Valid<RecordBody<Tickets>>,
) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(desk.send(UpdateTicket { scope, id: id.into_inner(), changes }).await??))
}

/// Deletes a ticket (soft: from then on it is 404).
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "The profile does not allow this delete", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/desk/tickets/{id}")]
async fn delete_ticket(desk: Desk, Scoped(scope): Scoped, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    desk.send(DeleteTicket { scope, id: id.into_inner() }).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Comments on a ticket you can see.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CommentRequest, responses(
    (status = 201, description = "The comment", body = Comment),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Missing or too long body", body = Problem, content_type = "application/problem+json"),
))]
#[post("/desk/tickets/{id}/comments")]
async fn add_comment(
    desk: Desk,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    Valid((body, public)): Valid<CommentRequest>,
) -> Result<HttpResponse, Error> {
    let comment = desk.send(AddComment { scope, ticket: id.into_inner(), body, public }).await??;
    Ok(HttpResponse::Created().json(comment))
}

/// A ticket's comments, oldest first (`page`, `limit`).
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path), ListQuery), responses(
    (status = 200, description = "`{items, total, page, limit}`"),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/tickets/{id}/comments")]
async fn list_comments(
    desk: Desk,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(desk.send(ListComments { scope, ticket: id.into_inner(), page }).await??))
}

/// Every change of a ticket, oldest first (`page`, `limit`).
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(("id" = Uuid, Path), ListQuery), responses(
    (status = 200, description = "`{items, total, page, limit}`: created, updated (fields before/after), statusChanged, commented, deleted"),
    (status = 404, description = "No such ticket, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/tickets/{id}/activity")]
async fn list_activity(
    desk: Desk,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(desk.send(ListActivity { scope, ticket: id.into_inner(), page }).await??))
}
