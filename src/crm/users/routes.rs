//! HTTP routes of the CRM user directory: list and read users, assign their role and profile.

use actix::Addr;
use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use super::messages::*;
use super::model::AssignmentRequest;
use super::views::{CrmUserPage, CrmUserView};
use crate::access::Manager;
use crate::audit::Trail;
use crate::auth::Caller;
use crate::crm::actor::CrmActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};

type Crm = web::Data<Addr<CrmActor>>;

/// Mounts the CRM routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_users).service(get_user).service(assign_user);
}

/// Lists the users synced from accounts.
#[utoipa::path(
    tag = "crm",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of CRM users", body = CrmUserPage),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid page, limit or search", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/crm/users")]
async fn list_users(crm: Crm, _: Caller, query: web::Query<ListQuery>) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    let users = crm.send(ListUsers { page }).await??;
    Ok(HttpResponse::Ok().json(users.map(CrmUserView::from)))
}

/// Reads one synced user.
#[utoipa::path(
    tag = "crm",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = CrmUserView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user (or deleted)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/crm/users/{id}")]
async fn get_user(crm: Crm, _: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    let user = crm.send(GetUser { id: id.into_inner() }).await??;
    Ok(HttpResponse::Ok().json(CrmUserView::from(user)))
}

/// Assigns a user's CRM role and profile (CRM managers); enforced on every node within a second.
#[utoipa::path(
    tag = "crm",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    request_body = AssignmentRequest,
    responses(
        (status = 200, description = "The user with the new assignment", body = CrmUserView),
        (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role or profile", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/crm/users/{id}")]
async fn assign_user(
    crm: Crm,
    Manager(manager): Manager,
    trail: Trail,
    id: web::Path<Uuid>,
    body: Valid<AssignmentRequest>,
) -> Result<HttpResponse, Error> {
    let (assignment, trail) = (body.0, trail.by(manager.id));
    let user = crm.send(AssignUser { id: id.into_inner(), assignment, trail }).await??;
    Ok(HttpResponse::Ok().json(CrmUserView::from(user)))
}
