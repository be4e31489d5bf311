//! HTTP routes of work orders (`/desk/work-orders`) and estimates (`/desk/estimates`): the shared
//! record routes (`crate::records::routes`), and an estimate's conversion.

use actix::Addr;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

use super::messages::*;
use super::model::{Estimates, WorkOrders};
use crate::access::Scoped;
use crate::audit::Trail;
use crate::desk::actor::DeskActor;
use crate::error::{Error, Problem};
use crate::records::routes::mount;

type Desk = web::Data<Addr<DeskActor>>;

/// Mounts the work order and estimate routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    mount::<WorkOrders, DeskActor>(cfg, |_| {});
    mount::<Estimates, DeskActor>(cfg, |cfg| {
        cfg.service(convert_estimate);
    });
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
async fn convert_estimate(
    desk: Desk,
    Scoped(scope): Scoped,
    trail: Trail,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    let trail = trail.by(scope.user_id);
    Ok(HttpResponse::Ok().json(desk.send(ConvertEstimate { scope, id: id.into_inner(), trail }).await??))
}
