//! `GET /admin/audit` (platform administrators): the audit entries, newest first, filtered.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::entries::{self, Entry, Filters};
use crate::auth::Admin;
use crate::db::DbPool;
use crate::error::{Error, Problem};
use crate::http::page::{ListQuery, Page, PageRequest};
use crate::http::validate::Validator;

/// Mounts the audit route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_entries);
}

/// `GET /admin/audit` query: every filter optional.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The acting user's id.
    actor: Option<String>,
    /// An action, e.g. `user.deleted`, `login.failed`, `session.revoked`.
    action: Option<String>,
    /// The kind of record acted on, e.g. `user`, `session`.
    target_type: Option<String>,
    /// The id of the record acted on.
    target_id: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    from: Option<String>,
    /// Until this instant (RFC 3339), exclusive.
    to: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Items per page, 1–100 (default 20).
    limit: Option<String>,
}

/// An RFC 3339 instant, or 422 naming `field`.
fn instant(v: &mut Validator, field: &str, value: Option<String>) -> Option<DateTime<Utc>> {
    let value = value?;
    match DateTime::parse_from_rfc3339(&value) {
        Ok(at) => Some(at.with_timezone(&Utc)),
        Err(_) => {
            v.error(field, "must be an RFC 3339 instant, e.g. 2026-12-01T00:00:00Z");
            None
        }
    }
}

impl AuditQuery {
    /// The checked filters and page; 422 naming every bad parameter.
    fn parse(self) -> Result<(Filters, PageRequest), Error> {
        let page = PageRequest::try_from(ListQuery { page: self.page, limit: self.limit, search: None });
        let mut v = Validator::default();
        let actor = self.actor.and_then(|actor| match Uuid::parse_str(&actor) {
            Ok(id) => Some(id),
            Err(_) => {
                v.error("actor", "must be a user id (uuid)");
                None
            }
        });
        let filters = Filters {
            actor,
            action: v.optional_text("action", self.action, 100),
            target_type: v.optional_text("targetType", self.target_type, 100),
            target_id: v.optional_text("targetId", self.target_id, 100),
            from: instant(&mut v, "from", self.from),
            to: instant(&mut v, "to", self.to),
        };
        v.finish()?;
        Ok((filters, page?))
    }
}

/// The audit entries matching every filter given, newest first: who (`actorId`), what (`action`,
/// `targetType`, `targetId`, the names of the changed `fields`), where (`node`, `address`,
/// `requestId`) and when (`at`).
#[utoipa::path(tag = "admin", security(("bearer" = [])), params(AuditQuery), responses(
    (status = 200, description = "`{items, total, page, limit}`", body = Page<Entry>),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A bad filter, page or limit, named", body = Problem, content_type = "application/problem+json"),
))]
#[get("/admin/audit")]
async fn audit_entries(
    pool: web::Data<DbPool>,
    _: Admin,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, Error> {
    let (filters, page) = query.into_inner().parse()?;
    Ok(HttpResponse::Ok().json(entries::page(&mut *pool.get().await?, &filters, &page).await?))
}
