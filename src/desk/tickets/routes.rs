//! HTTP routes of desk tickets (the shared record routes, `crate::records::routes`), their
//! comments and activity.

use actix::Addr;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::comments::{Comment, CommentRequest};
use super::messages::*;
use super::model::Tickets;
use crate::access::Scoped;
use crate::desk::actor::DeskActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};
use crate::records::routes::mount;

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the ticket routes: the shared record routes and a ticket's comments and activity.
pub fn configure(cfg: &mut web::ServiceConfig) {
    mount::<Tickets, DeskActor>(cfg, |cfg| {
        cfg.service(add_comment).service(list_comments).service(list_activity);
    });
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
    Valid(comment): Valid<CommentRequest>,
) -> Result<HttpResponse, Error> {
    let comment = desk.send(AddComment { scope, ticket: id.into_inner(), comment }).await??;
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
