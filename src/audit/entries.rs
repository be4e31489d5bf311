//! Writing and reading audit entries.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::trail::Trail;
use crate::error::Error;
use crate::http::page::{Page, PageRequest};
use crate::schema::audit::entries;

/// What an entry is about: a kind of record and its id.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub kind: &'a str,
    pub id: Option<Uuid>,
}

impl<'a> Target<'a> {
    /// The record of kind `kind` with this id.
    pub fn of(kind: &'a str, id: Uuid) -> Self {
        Self { kind, id: Some(id) }
    }
}

/// Appends an entry on `conn` (inside the change's transaction). `fields` names what changed.
pub async fn record(
    conn: &mut AsyncPgConnection,
    node: &str,
    trail: &Trail,
    action: &str,
    target: Target<'_>,
    fields: &[&str],
) -> Result<(), Error> {
    diesel::insert_into(entries::table)
        .values((
            entries::actor_id.eq(trail.actor),
            entries::action.eq(action),
            entries::target_type.eq(target.kind),
            entries::target_id.eq(target.id.map(|id| id.to_string())),
            entries::fields.eq(fields),
            entries::node.eq(node),
            entries::address.eq(&trail.address),
            entries::request_id.eq(&trail.request_id),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// One audit entry as `GET /admin/audit` shows it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = entries, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub fields: Vec<String>,
    pub node: String,
    pub address: Option<String>,
    pub request_id: Option<String>,
}

/// The filters of `GET /admin/audit`, checked.
#[derive(Debug, Default)]
pub struct Filters {
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// One page of the entries matching `filters`, newest first.
pub async fn page(conn: &mut AsyncPgConnection, filters: &Filters, page: &PageRequest) -> Result<Page<Entry>, Error> {
    let query = || {
        let mut query = entries::table.into_boxed();
        if let Some(actor) = filters.actor {
            query = query.filter(entries::actor_id.eq(actor));
        }
        if let Some(action) = &filters.action {
            query = query.filter(entries::action.eq(action.clone()));
        }
        if let Some(kind) = &filters.target_type {
            query = query.filter(entries::target_type.eq(kind.clone()));
        }
        if let Some(id) = &filters.target_id {
            query = query.filter(entries::target_id.eq(id.clone()));
        }
        if let Some(from) = filters.from {
            query = query.filter(entries::at.ge(from));
        }
        if let Some(to) = filters.to {
            query = query.filter(entries::at.lt(to));
        }
        query
    };
    let total = query().count().get_result(conn).await?;
    let items = query()
        .order((entries::at.desc(), entries::id.desc()))
        .limit(page.limit)
        .offset(page.offset())
        .select(Entry::as_select())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: page.page, limit: page.limit })
}

/// Deletes the entries older than `before`; answers how many went.
pub async fn purge(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> Result<usize, Error> {
    Ok(diesel::delete(entries::table.filter(entries::at.lt(before))).execute(conn).await?)
}
