//! HTTP routes of the desk catalog: `/desk/services`, `/desk/parts` and `/desk/taxes`.

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use uuid::Uuid;

use super::messages::*;
use super::model::{Catalog, CatalogChanges, CatalogItem};
use crate::access::Manager;
use crate::auth::Caller;
use crate::desk::actor::DeskActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the catalog routes (after every other desk route, whose fixed paths win over
/// `/desk/{catalog}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_catalog)
        .service(create_catalog_item)
        .service(get_catalog_item)
        .service(update_catalog_item)
        .service(delete_catalog_item);
}

/// Lists a catalog (`services`, `parts` or `taxes`) by name: `page, limit, search` (name).
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("catalog" = String, Path, description = "services, parts or taxes"), ListQuery), responses(
    (status = 200, description = "`{items, total, page, limit}`"),
    (status = 404, description = "No such catalog", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid page, limit or search", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/{catalog}")]
async fn list_catalog(
    desk: Desk,
    _: Caller,
    catalog: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, Error> {
    let catalog = Catalog::from_path(&catalog)?;
    let page = PageRequest::try_from(query.into_inner())?;
    Ok(HttpResponse::Ok().json(desk.send(ListCatalog { catalog, page }).await??))
}

/// Adds a service (`name`, `netPrice`), part (`name`, `price`) or tax (`name`, `percentage`).
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("catalog" = String, Path, description = "services, parts or taxes")), request_body = CatalogChanges, responses(
    (status = 201, description = "Added", body = CatalogItem),
    (status = 403, description = "Needs a platform administrator or the Administrator profile", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[post("/desk/{catalog}")]
async fn create_catalog_item(
    desk: Desk,
    _: Manager,
    catalog: web::Path<String>,
    Valid(write): Valid<CatalogChanges>,
) -> Result<HttpResponse, Error> {
    let catalog = Catalog::from_path(&catalog)?;
    let write = Some(write);
    Ok(HttpResponse::Created().json(desk.send(WriteCatalogItem { catalog, id: None, write }).await??))
}

/// Reads a catalog item.
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("catalog" = String, Path), ("id" = Uuid, Path)), responses(
    (status = 200, description = "The item", body = CatalogItem),
    (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
))]
#[get("/desk/{catalog}/{id}")]
async fn get_catalog_item(desk: Desk, _: Caller, path: web::Path<(String, Uuid)>) -> Result<HttpResponse, Error> {
    let (catalog, id) = path.into_inner();
    let catalog = Catalog::from_path(&catalog)?;
    Ok(HttpResponse::Ok().json(desk.send(GetCatalogItem { catalog, id }).await??))
}

/// Changes a catalog item; lines already written keep their prices and tax percentages.
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("catalog" = String, Path), ("id" = Uuid, Path)), request_body = CatalogChanges, responses(
    (status = 200, description = "Changed", body = CatalogItem),
    (status = 403, description = "Needs a platform administrator or the Administrator profile", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/desk/{catalog}/{id}")]
async fn update_catalog_item(
    desk: Desk,
    _: Manager,
    path: web::Path<(String, Uuid)>,
    Valid(write): Valid<CatalogChanges>,
) -> Result<HttpResponse, Error> {
    let (catalog, id) = path.into_inner();
    let catalog = Catalog::from_path(&catalog)?;
    let write = Some(write);
    Ok(HttpResponse::Ok().json(desk.send(WriteCatalogItem { catalog, id: Some(id), write }).await??))
}

/// Deletes a catalog item that no line uses.
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("catalog" = String, Path), ("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Needs a platform administrator or the Administrator profile", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A work order or estimate line still uses it", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/desk/{catalog}/{id}")]
async fn delete_catalog_item(desk: Desk, _: Manager, path: web::Path<(String, Uuid)>) -> Result<HttpResponse, Error> {
    let (catalog, id) = path.into_inner();
    let catalog = Catalog::from_path(&catalog)?;
    desk.send(WriteCatalogItem { catalog, id: Some(id), write: None }).await??;
    Ok(HttpResponse::NoContent().finish())
}
