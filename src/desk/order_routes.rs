//! HTTP routes of the desk catalog (`/desk/services`, `/desk/parts`, `/desk/taxes`), work orders
//! (`/desk/work-orders`) and estimates (`/desk/estimates`, with `/{id}/convert`). Work orders and
//! estimates share their handlers; [`document_routes!`] writes each one's annotated routes.

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use std::collections::HashMap;
use std::marker::PhantomData;
use uuid::Uuid;

use super::actor::DeskActor;
use super::catalog::{Catalog, CatalogChanges, CatalogItem};
use super::order_messages::*;
use super::orders::{DocumentView, Estimate, EstimateChanges, Estimates, WorkOrder, WorkOrderChanges, WorkOrders};
use crate::access::{Manager, Scoped};
use crate::auth::Caller;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::http::page::{ListQuery, PageRequest};
use crate::records::list::RecordList;
use crate::records::RecordBody;

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the catalog, work order and estimate routes (after the tickets', whose fixed paths
/// win over `/desk/{catalog}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    work_orders::configure(cfg);
    cfg.service(convert_estimate);
    estimates::configure(cfg);
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

/// Converts an estimate into a new work order (status new) with the same fields and lines and
/// marks it accepted, atomically. Needs update on estimates and create on work orders.
#[utoipa::path(tag = "estimates", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "`{workOrder, estimate}`", body = Conversion),
    (status = 403, description = "The profile does not allow updating estimates or creating work orders", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such estimate, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already converted, or rejected", body = Problem, content_type = "application/problem+json"),
))]
#[post("/desk/estimates/{id}/convert")]
async fn convert_estimate(desk: Desk, Scoped(scope): Scoped, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(desk.send(ConvertEstimate { scope, id: id.into_inner() }).await??))
}

/// Writes the annotated list, create, get, update and delete routes of one document kind in
/// module `$module`, with its `configure`.
macro_rules! document_routes {
    ($module:ident, $kind:ty, $row:ty, $changes:ty, $path:tt, $one:tt, $tag:tt) => {
        /// Routes of one document kind.
        pub mod $module {
            use super::*;

            /// Mounts the routes.
            pub fn configure(cfg: &mut web::ServiceConfig) {
                cfg.service(list).service(create).service(get_one).service(update).service(remove);
            }

            /// Lists the documents the caller may see, without their lines: `page, limit, search
            /// (title/summary), ownerId, contactId, accountId, ticketId, status`, work orders also
            /// `priority, billingStatus`; `sort` (`createdAt, updatedAt, dueDate|validUntil, title,
            /// grandTotal`, `-` for descending).
            #[utoipa::path(tag = $tag, security(("bearer" = [])), responses(
                (status = 200, description = "`{items, total, page, limit}`"),
                (status = 403, description = "The profile does not allow reading", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid page, limit, filter or sort", body = Problem, content_type = "application/problem+json"),
            ))]
            #[get($path)]
            pub async fn list(
                desk: Desk,
                Scoped(scope): Scoped,
                query: web::Query<HashMap<String, String>>,
            ) -> Result<HttpResponse, Error> {
                let list = RecordList::parse::<$kind>(query.into_inner())?;
                Ok(HttpResponse::Ok().json(desk.send(ListDocuments::<$kind> { scope, list, kind: PhantomData }).await??))
            }

            /// Creates a document with its lines (priced from the catalog unless `unitPrice` is
            /// given) and its totals.
            #[utoipa::path(tag = $tag, security(("bearer" = [])), request_body = $changes, responses(
                (status = 201, description = "Created, with lines and totals", body = DocumentView<$row>),
                (status = 403, description = "The profile does not allow creating", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields or lines, or a contact/account/ticket/owner you cannot see", body = Problem, content_type = "application/problem+json"),
            ))]
            #[post($path)]
            pub async fn create(
                desk: Desk,
                Scoped(scope): Scoped,
                Valid(changes): Valid<RecordBody<$kind>>,
            ) -> Result<HttpResponse, Error> {
                let saved = desk.send(SaveDocument::<$kind> { scope, id: None, changes }).await??;
                Ok(HttpResponse::Created().json(saved))
            }

            /// Reads a document with its lines.
            #[utoipa::path(tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
                (status = 200, description = "The document", body = DocumentView<$row>),
                (status = 404, description = "No such document, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
            ))]
            #[get($one)]
            pub async fn get_one(
                desk: Desk,
                Scoped(scope): Scoped,
                id: web::Path<Uuid>,
            ) -> Result<HttpResponse, Error> {
                let id = id.into_inner();
                Ok(HttpResponse::Ok().json(desk.send(GetDocument::<$kind> { scope, id, kind: PhantomData }).await??))
            }

            /// Changes a document; `lines` replaces every line and recomputes the totals. An
            /// illegal status move is 409 naming both states.
            #[utoipa::path(tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = $changes, responses(
                (status = 200, description = "Changed", body = DocumentView<$row>),
                (status = 403, description = "The profile does not allow this update", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such document, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "Illegal status transition", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields or lines", body = Problem, content_type = "application/problem+json"),
            ))]
            #[patch($one)]
            pub async fn update(
                desk: Desk,
                Scoped(scope): Scoped,
                id: web::Path<Uuid>,
                Valid(changes): Valid<RecordBody<$kind>>,
            ) -> Result<HttpResponse, Error> {
                let id = Some(id.into_inner());
                Ok(HttpResponse::Ok().json(desk.send(SaveDocument::<$kind> { scope, id, changes }).await??))
            }

            /// Deletes a document (soft: from then on it is 404).
            #[utoipa::path(tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
                (status = 204, description = "Deleted"),
                (status = 403, description = "The profile does not allow this delete", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such document, deleted, or not visible", body = Problem, content_type = "application/problem+json"),
            ))]
            #[delete($one)]
            pub async fn remove(
                desk: Desk,
                Scoped(scope): Scoped,
                id: web::Path<Uuid>,
            ) -> Result<HttpResponse, Error> {
                let id = id.into_inner();
                desk.send(DeleteDocument::<$kind> { scope, id, kind: PhantomData }).await??;
                Ok(HttpResponse::NoContent().finish())
            }
        }
    };
}

document_routes!(
    work_orders,
    WorkOrders,
    WorkOrder,
    WorkOrderChanges,
    "/desk/work-orders",
    "/desk/work-orders/{id}",
    "workOrders"
);
document_routes!(
    estimates,
    Estimates,
    Estimate,
    EstimateChanges,
    "/desk/estimates",
    "/desk/estimates/{id}",
    "estimates"
);
