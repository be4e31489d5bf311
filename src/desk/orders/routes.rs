//! HTTP routes of work orders
//! (`/desk/work-orders`) and estimates (`/desk/estimates`, with `/{id}/convert`). Work orders and
//! estimates share their handlers; [`document_routes!`] writes each one's annotated routes.

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use std::collections::HashMap;
use std::marker::PhantomData;
use uuid::Uuid;

use super::messages::*;
use super::model::{DocumentView, Estimate, EstimateChanges, Estimates, WorkOrder, WorkOrderChanges, WorkOrders};
use crate::access::Scoped;
use crate::desk::actor::DeskActor;
use crate::error::{Error, Problem};
use crate::http::body::Valid;
use crate::records::list::RecordList;
use crate::records::RecordBody;

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the work order and estimate routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    work_orders::configure(cfg);
    cfg.service(convert_estimate);
    estimates::configure(cfg);
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
