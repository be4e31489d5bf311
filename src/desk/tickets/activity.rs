//! A ticket's activity log: every change, written in the change's transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;
use crate::http::page::{Page, PageRequest};
use crate::schema::desk::ticket_activity;

/// One entry of a ticket's activity.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = ticket_activity, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: Uuid,
    pub ticket_id: Uuid,
    /// created, updated, statusChanged, commented, deleted.
    pub kind: String,
    pub actor_id: Uuid,
    /// `{field: {before, after}}` for changes; `{commentId}` for comments.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Records one activity entry.
pub async fn record(
    conn: &mut AsyncPgConnection,
    ticket: Uuid,
    kind: &str,
    actor: Uuid,
    details: serde_json::Value,
) -> Result<(), Error> {
    diesel::insert_into(ticket_activity::table)
        .values((
            ticket_activity::id.eq(Uuid::new_v4()),
            ticket_activity::ticket_id.eq(ticket),
            ticket_activity::kind.eq(kind),
            ticket_activity::actor_id.eq(actor),
            ticket_activity::details.eq(details),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// One page of a ticket's activity, oldest first.
pub async fn page(conn: &mut AsyncPgConnection, ticket: Uuid, page: &PageRequest) -> Result<Page<Activity>, Error> {
    let mine = ticket_activity::table.filter(ticket_activity::ticket_id.eq(ticket));
    let total = mine.count().get_result(conn).await?;
    let items = mine
        .order((ticket_activity::created_at, ticket_activity::id))
        .select(Activity::as_select())
        .limit(page.limit)
        .offset(page.offset())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: page.page, limit: page.limit })
}
