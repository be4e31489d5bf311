//! HTTP routes of CRM access management: profiles and roles (CRM managers only).

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use uuid::Uuid;

use super::messages::*;
use super::profiles::{Profile, ProfileRequest};
use super::roles::{Role, RoleNode, RoleRequest};
use crate::access::Manager;
use crate::audit::Trail;
use crate::crm::actor::CrmActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};

type Crm = web::Data<Addr<CrmActor>>;

/// Mounts the profile and role routes (`/crm/roles/tree` before `/crm/roles/{id}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_profiles)
        .service(create_profile)
        .service(get_profile)
        .service(update_profile)
        .service(delete_profile)
        .service(list_roles)
        .service(role_tree)
        .service(create_role)
        .service(get_role)
        .service(update_role)
        .service(delete_role);
}

/// Lists profiles.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of profiles", body = Object),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid page, limit or search", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/profiles")]
async fn list_profiles(crm: Crm, _: Manager, query: web::Query<ListQuery>) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(crm.send(ListProfiles { page }).await??))
}

/// Creates a profile.
#[utoipa::path(tag = "crm", security(("bearer" = [])), request_body = ProfileRequest, responses(
    (status = 201, description = "Created", body = Profile),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, unknown modules or actions", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/profiles")]
async fn create_profile(crm: Crm, _: Manager, body: Valid<ProfileRequest>) -> Result<HttpResponse, Error> {
    let changes = body.0;
    Ok(HttpResponse::Created().json(crm.send(CreateProfile { changes }).await??))
}

/// Reads a profile.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The profile", body = Profile),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/profiles/{id}")]
async fn get_profile(crm: Crm, _: Manager, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(crm.send(GetProfile { id: id.into_inner() }).await??))
}

/// Updates a profile; every node enforces the change within a second.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ProfileRequest, responses(
    (status = 200, description = "Updated", body = Profile),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Name taken, or the Administrator profile's permissions", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/crm/profiles/{id}")]
async fn update_profile(
    crm: Crm,
    Manager(manager): Manager,
    trail: Trail,
    id: web::Path<Uuid>,
    body: Valid<ProfileRequest>,
) -> Result<HttpResponse, Error> {
    let (changes, trail) = (body.0, trail.by(manager.id));
    Ok(HttpResponse::Ok().json(crm.send(UpdateProfile { id: id.into_inner(), changes, trail }).await??))
}

/// Deletes a profile no user holds.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Assigned, Administrator or the default profile", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/crm/profiles/{id}")]
async fn delete_profile(crm: Crm, _: Manager, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    crm.send(DeleteProfile { id: id.into_inner() }).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists roles.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of roles", body = Object),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid page, limit or search", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/roles")]
async fn list_roles(crm: Crm, _: Manager, query: web::Query<ListQuery>) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(crm.send(ListRoles { page }).await??))
}

/// The role hierarchy, roots first.
#[utoipa::path(tag = "crm", security(("bearer" = [])), responses(
    (status = 200, description = "The tree", body = Vec<RoleNode>),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/roles/tree")]
async fn role_tree(crm: Crm, _: Manager) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(crm.send(RoleTree).await??))
}

/// Creates a role.
#[utoipa::path(tag = "crm", security(("bearer" = [])), request_body = RoleRequest, responses(
    (status = 201, description = "Created", body = Role),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields or unknown parent", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/roles")]
async fn create_role(crm: Crm, _: Manager, body: Valid<RoleRequest>) -> Result<HttpResponse, Error> {
    let changes = body.0;
    Ok(HttpResponse::Created().json(crm.send(CreateRole { changes }).await??))
}

/// Reads a role.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The role", body = Role),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/roles/{id}")]
async fn get_role(crm: Crm, _: Manager, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(crm.send(GetRole { id: id.into_inner() }).await??))
}

/// Updates or moves a role.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = RoleRequest, responses(
    (status = 200, description = "Updated", body = Role),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Name taken, or the move would make a cycle", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields or unknown parent", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/crm/roles/{id}")]
async fn update_role(
    crm: Crm,
    _: Manager,
    id: web::Path<Uuid>,
    body: Valid<RoleRequest>,
) -> Result<HttpResponse, Error> {
    let changes = body.0;
    Ok(HttpResponse::Ok().json(crm.send(UpdateRole { id: id.into_inner(), changes }).await??))
}

/// Deletes a role that has no child roles and no users.
#[utoipa::path(tag = "crm", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Not a CRM manager", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Still has child roles or users (named)", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/crm/roles/{id}")]
async fn delete_role(
    crm: Crm,
    Manager(manager): Manager,
    trail: Trail,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    crm.send(DeleteRole { id: id.into_inner(), trail: trail.by(manager.id) }).await??;
    Ok(HttpResponse::NoContent().finish())
}
