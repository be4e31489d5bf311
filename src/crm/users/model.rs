//! The CRM user directory (`crm.users`) and its queries.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Date, Int8, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
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

/// One event of a batch for [`apply_batch`].
#[derive(Debug, Clone)]
pub struct UserEvent {
    pub event_id: Uuid,
    pub user: SyncedUser,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Applies user events in one atomic statement (its own transaction, one round trip): each
/// event id is claimed, and an id claimed before (a redelivery) changes nothing; per user only
/// the newest version of the batch is written, and only if newer than the stored one
/// (out-of-order events change nothing); `deleted_at` soft-deletes. A user new to the CRM gets
/// `default_profile`; role and profile are never touched by sync afterwards.
pub async fn apply_batch(
    conn: &mut AsyncPgConnection,
    events: &[UserEvent],
    default_profile: Uuid,
) -> Result<(), Error> {
    let column = |f: fn(&UserEvent) -> String| events.iter().map(f).collect::<Vec<_>>();
    let optional = |f: fn(&UserEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
    diesel::sql_query(
        "WITH incoming AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], \
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::date[], $11::int8[], $12::timestamptz[], \
                 $13::timestamptz[], $14::timestamptz[]) AS t(event_id, id, work_id, email, name, timezone, \
                 work_location, department, dept_manager, birthday, version, date_joined, updated_at, deleted_at)), \
         claimed AS (INSERT INTO crm.processed_events (event_id) SELECT event_id FROM incoming \
                     ON CONFLICT DO NOTHING RETURNING event_id) \
         INSERT INTO crm.users (id, work_id, email, name, timezone, work_location, department, dept_manager, \
         birthday, version, date_joined, updated_at, deleted_at, profile_id) \
         SELECT DISTINCT ON (i.id) i.id, i.work_id, i.email, i.name, i.timezone, i.work_location, i.department, \
                i.dept_manager, i.birthday, i.version, i.date_joined, i.updated_at, i.deleted_at, $15 \
         FROM incoming i JOIN claimed c USING (event_id) ORDER BY i.id, i.version DESC \
         ON CONFLICT (id) DO UPDATE SET work_id = EXCLUDED.work_id, email = EXCLUDED.email, name = EXCLUDED.name, \
         timezone = EXCLUDED.timezone, work_location = EXCLUDED.work_location, department = EXCLUDED.department, \
         dept_manager = EXCLUDED.dept_manager, birthday = EXCLUDED.birthday, version = EXCLUDED.version, \
         updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at, synced_at = now() \
         WHERE crm.users.version < EXCLUDED.version",
    )
    .bind::<Array<SqlUuid>, _>(events.iter().map(|e| e.event_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(events.iter().map(|e| e.user.id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(column(|e| e.user.work_id.clone()))
    .bind::<Array<Text>, _>(column(|e| e.user.email.clone()))
    .bind::<Array<Text>, _>(column(|e| e.user.name.clone()))
    .bind::<Array<Nullable<Text>>, _>(optional(|e| e.user.timezone.clone()))
    .bind::<Array<Text>, _>(column(|e| e.user.work_location.clone()))
    .bind::<Array<Nullable<Text>>, _>(optional(|e| e.user.department.clone()))
    .bind::<Array<Nullable<Text>>, _>(optional(|e| e.user.dept_manager.clone()))
    .bind::<Array<Nullable<Date>>, _>(events.iter().map(|e| e.user.birthday).collect::<Vec<_>>())
    .bind::<Array<Int8>, _>(events.iter().map(|e| e.user.version).collect::<Vec<_>>())
    .bind::<Array<Timestamptz>, _>(events.iter().map(|e| e.user.date_joined).collect::<Vec<_>>())
    .bind::<Array<Timestamptz>, _>(events.iter().map(|e| e.user.updated_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(events.iter().map(|e| e.deleted_at).collect::<Vec<_>>())
    .bind::<SqlUuid, _>(default_profile)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets processed event ids older than a week (redeliveries come within minutes).
pub async fn purge_processed(conn: &mut AsyncPgConnection) -> Result<usize, Error> {
    let cutoff = Utc::now() - chrono::Duration::days(7);
    Ok(diesel::delete(processed_events::table.filter(processed_events::processed_at.lt(cutoff))).execute(conn).await?)
}

/// `PATCH /crm/users/{id}` body: the user's CRM role and profile.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRequest {
    /// The role; `null` removes the user from the tree.
    #[serde(default, deserialize_with = "crate::http::validate::patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub role_id: Option<Option<Uuid>>,
    /// The profile (cannot be removed).
    #[serde(default, deserialize_with = "crate::http::validate::patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub profile_id: Option<Option<Uuid>>,
}

/// A validated assignment; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = users)]
pub struct Assignment {
    pub role_id: Option<Option<Uuid>>,
    pub profile_id: Option<Uuid>,
}

impl Assignment {
    /// The API names of the fields this assignment sets (for the audit log).
    pub fn fields(&self) -> Vec<&'static str> {
        [("roleId", self.role_id.is_some()), ("profileId", self.profile_id.is_some())]
            .into_iter()
            .filter_map(|(field, set)| set.then_some(field))
            .collect()
    }
}

impl Validate for AssignmentRequest {
    type Valid = Assignment;
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    fn validate(self, _: &Intent) -> Result<Assignment, Error> {
        let raw = self;
        let profile_id = match raw.profile_id {
            Some(None) => return Err(Error::invalid("profileId", "must not be null")),
            other => other.flatten(),
        };
        Ok(Assignment { role_id: raw.role_id, profile_id })
    }
}

/// Assigns a role and profile; 404 when the user is unknown or deleted, 422 naming an unknown
/// role or profile.
pub async fn assign(conn: &mut AsyncPgConnection, id: Uuid, assignment: &Assignment) -> Result<CrmUser, Error> {
    use diesel::result::{DatabaseErrorKind, Error as D};
    if assignment == &Assignment::default() {
        return find(conn, id).await?.ok_or_else(|| Error::NotFound("user not found".into()));
    }
    diesel::update(users::table.find(id).filter(users::deleted_at.is_null()))
        .set(assignment)
        .returning(CrmUser::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(|e| match &e {
            D::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => match info.constraint_name() {
                Some("users_role_fk") => Error::invalid("roleId", "no such role"),
                _ => Error::invalid("profileId", "no such profile"),
            },
            _ => e.into(),
        })?
        .ok_or_else(|| Error::NotFound("user not found".into()))
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
            query = query.filter(crate::db::person_search(pattern));
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
