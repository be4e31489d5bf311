//! HTTP routes of the CRM record modules: the generic ones of each module, plus the deal
//! pipeline and lead conversion.

use actix::Addr;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::accounts::Accounts;
use super::contacts::Contacts;
use super::conversion::{Conversion, ConvertLead, ConvertRequest};
use super::deals::{DealPipeline, Deals, Pipeline};
use super::leads::Leads;
use crate::access::Scoped;
use crate::audit::Trail;
use crate::crm::actor::CrmActor;
use crate::error::{Error, Problem};
use crate::http::body::{self, Intent};
use crate::records::routes::mount;

type Crm = web::Data<Addr<CrmActor>>;

/// Mounts contacts, accounts, leads and deals.
pub fn configure(cfg: &mut web::ServiceConfig) {
    mount::<Contacts, CrmActor>(cfg, |_| {});
    mount::<Accounts, CrmActor>(cfg, |_| {});
    mount::<Leads, CrmActor>(cfg, |cfg| {
        cfg.service(convert_lead);
    });
    mount::<Deals, CrmActor>(cfg, |cfg| {
        cfg.service(deal_pipeline);
    });
}

/// Sums amount and count per pipeline stage over the deals the caller can see.
#[utoipa::path(tag = "deals", security(("bearer" = [])), responses(
    (status = 200, description = "Every stage in pipeline order, and the total", body = Pipeline),
    (status = 403, description = "The profile does not allow reading deals", body = Problem, content_type = "application/problem+json"),
))]
#[get("/crm/deals/pipeline")]
async fn deal_pipeline(crm: Crm, Scoped(scope): Scoped) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(crm.send(DealPipeline { scope }).await??))
}

/// Converts a lead into an account (new or given), a contact and optionally a deal, in one
/// transaction; the lead is kept, marked converted.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ConvertRequest, responses(
    (status = 200, description = "What the conversion created", body = Conversion),
    (status = 403, description = "Needs update on leads and create on each target module", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such lead, or not visible", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already converted, or a created record conflicts (nothing written)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid body, or the lead lacks what the account needs", body = Problem, content_type = "application/problem+json"),
))]
#[post("/crm/leads/{id}/convert")]
async fn convert_lead(
    crm: Crm,
    Scoped(scope): Scoped,
    trail: Trail,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, Error> {
    let request = if body.is_empty() {
        body::check(ConvertRequest::default(), &Intent::of(&req))?
    } else {
        body::parse::<ConvertRequest>(&req, &body)?
    };
    let trail = trail.by(scope.user_id);
    Ok(HttpResponse::Ok().json(crm.send(ConvertLead { scope, id: id.into_inner(), request, trail }).await??))
}
