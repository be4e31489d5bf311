//! The CRM user directory (`crm.users`) and its queries.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Int8, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::Error;
use crate::http::page::{Page, PageRequest};
use crate::schema::crm::{processed_events, users};

/// A user as the CRM knows them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct CrmUser {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub role_id: Option<Uuid>,
    pub profile_id: Option<Uuid>,
    pub version: i64,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub synced_at: DateTime<Utc>,
}

/// The `data` of a user event as the CRM reads it (accounts' fields it keeps).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncedUser {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub version: i64,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Applies a user event in one atomic statement: claims the event id (a redelivery claims
/// nothing and so changes nothing) and inserts or updates the user unless the stored version is
/// already as new (out-of-order events change nothing). `deleted_at` soft-deletes. One round
/// trip, no explicit transaction: the statement is its own.
pub async fn apply(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    user: &SyncedUser,
    deleted_at: Option<DateTime<Utc>>,
) -> Result<(), Error> {
    diesel::sql_query(
        "WITH claimed AS (INSERT INTO crm.processed_events (event_id) VALUES ($1) \
                          ON CONFLICT DO NOTHING RETURNING event_id) \
         INSERT INTO crm.users (id, work_id, email, name, timezone, work_location, department, dept_manager, \
         birthday, version, date_joined, updated_at, deleted_at) \
         SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM claimed \
         ON CONFLICT (id) DO UPDATE SET work_id = EXCLUDED.work_id, email = EXCLUDED.email, name = EXCLUDED.name, \
         timezone = EXCLUDED.timezone, work_location = EXCLUDED.work_location, department = EXCLUDED.department, \
         dept_manager = EXCLUDED.dept_manager, birthday = EXCLUDED.birthday, version = EXCLUDED.version, \
         updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at, synced_at = now() \
         WHERE crm.users.version < EXCLUDED.version",
    )
    .bind::<SqlUuid, _>(event_id)
    .bind::<SqlUuid, _>(user.id)
    .bind::<Text, _>(&user.work_id)
    .bind::<Text, _>(&user.email)
    .bind::<Text, _>(&user.name)
    .bind::<Nullable<Text>, _>(&user.timezone)
    .bind::<Text, _>(&user.work_location)
    .bind::<Nullable<Text>, _>(&user.department)
    .bind::<Nullable<Text>, _>(&user.dept_manager)
    .bind::<Nullable<Date>, _>(user.birthday)
    .bind::<Int8, _>(user.version)
    .bind::<Timestamptz, _>(user.date_joined)
    .bind::<Timestamptz, _>(user.updated_at)
    .bind::<Nullable<Timestamptz>, _>(deleted_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets processed event ids older than a week (redeliveries come within minutes).
pub async fn purge_processed(conn: &mut AsyncPgConnection) -> Result<usize, Error> {
    let cutoff = Utc::now() - chrono::Duration::days(7);
    Ok(diesel::delete(processed_events::table.filter(processed_events::processed_at.lt(cutoff))).execute(conn).await?)
}

/// A user who is not deleted.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<CrmUser>, Error> {
    Ok(users::table
        .find(id)
        .filter(users::deleted_at.is_null())
        .select(CrmUser::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// One page of users who are not deleted, optionally searched by name, email and workId.
pub async fn list(conn: &mut AsyncPgConnection, request: &PageRequest) -> Result<Page<CrmUser>, Error> {
    let filtered = || {
        let mut query = users::table.filter(users::deleted_at.is_null()).into_boxed();
        if let Some(pattern) = request.search_pattern() {
            query =
                query.filter(sql::<Bool>("(name || ' ' || email || ' ' || work_id) ILIKE ").bind::<Text, _>(pattern));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let items = filtered()
        .select(CrmUser::as_select())
        .order((users::date_joined, users::id))
        .limit(request.limit)
        .offset(request.offset())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: request.page, limit: request.limit })
}
