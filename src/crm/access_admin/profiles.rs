//! CRM profiles: named sets of per-module grants (`crm.profiles`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::{Permissions, ADMINISTRATOR_PROFILE};
use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
use crate::http::page::{Page, PageRequest};
use crate::http::validate::{patch_field, Validator};
use crate::schema::crm::{profiles, users};

/// A profile as stored and as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Permissions,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A stored profile row, with its permissions still as JSON.
#[derive(Queryable, Selectable)]
#[diesel(table_name = profiles, check_for_backend(diesel::pg::Pg))]
struct Row {
    id: Uuid,
    name: String,
    description: Option<String>,
    permissions: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn from_row(row: Row) -> Result<Profile, Error> {
    let permissions = serde_json::from_value(row.permissions)
        .map_err(|e| Error::Internal(format!("profile {} has unreadable permissions: {e}", row.id)))?;
    let Row { id, name, description, created_at, updated_at, .. } = row;
    Ok(Profile { id, name, description, permissions, created_at, updated_at })
}

/// `POST /crm/profiles` and `PATCH /crm/profiles/{id}` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileRequest {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub permissions: Option<Permissions>,
}

/// Validated profile fields; `None` leaves a field alone (on update).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = profiles)]
pub struct ProfileChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub permissions: Option<serde_json::Value>,
}

impl ProfileChanges {
    /// The API names of the fields these changes set (for the audit log).
    pub fn fields(&self) -> Vec<&'static str> {
        [
            ("name", self.name.is_some()),
            ("description", self.description.is_some()),
            ("permissions", self.permissions.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect()
    }
}

impl Validate for ProfileRequest {
    type Valid = ProfileChanges;
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    /// `POST` requires the name and permissions.
    fn validate(self, intent: &Intent) -> Result<ProfileChanges, Error> {
        let (mut raw, creating) = (self, intent.creating());
        let mut v = Validator::default();
        v.require("name", &mut raw.name, 100, creating);
        v.optional("description", &mut raw.description, 1000);
        if creating && raw.permissions.is_none() {
            v.error("permissions", "is required");
        }
        v.finish()?;
        let permissions = raw.permissions.map(|p| serde_json::to_value(p).unwrap_or_default());
        Ok(ProfileChanges { name: raw.name, description: raw.description, permissions })
    }
}

fn conflict(error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            Error::conflict("name", "a profile with this name exists")
        }
        _ => error.into(),
    }
}

/// One page of profiles by name.
pub async fn list(conn: &mut AsyncPgConnection, request: &PageRequest) -> Result<Page<Profile>, Error> {
    let filtered = || {
        let mut query = profiles::table.into_boxed();
        if let Some(pattern) = request.search_pattern() {
            query = query.filter(profiles::name.ilike(pattern));
        }
        query
    };
    let total = filtered().count().get_result(conn).await?;
    let rows: Vec<Row> = filtered()
        .select(Row::as_select())
        .order(profiles::name)
        .limit(request.limit)
        .offset(request.offset())
        .load(conn)
        .await?;
    let items = rows.into_iter().map(from_row).collect::<Result<_, _>>()?;
    Ok(Page { items, total, page: request.page, limit: request.limit })
}

/// The profile with this id, or 404.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Profile, Error> {
    let row: Option<Row> = profiles::table.find(id).select(Row::as_select()).first(conn).await.optional()?;
    row.map(from_row).transpose()?.ok_or_else(|| Error::NotFound("profile not found".into()))
}

/// Creates a profile; 409 when the name is taken.
pub async fn insert(conn: &mut AsyncPgConnection, changes: &ProfileChanges) -> Result<Profile, Error> {
    let row: Row = diesel::insert_into(profiles::table)
        .values((
            profiles::id.eq(Uuid::new_v4()),
            profiles::name.eq(changes.name.clone().unwrap_or_default()),
            profiles::description.eq(changes.description.clone().flatten()),
            profiles::permissions.eq(changes.permissions.clone().unwrap_or_default()),
        ))
        .returning(Row::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)?;
    from_row(row)
}

/// Updates a profile; 404 when missing, 409 when the name is taken. The Administrator profile's
/// permissions cannot change (it bypasses them anyway).
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &ProfileChanges) -> Result<Profile, Error> {
    if id == ADMINISTRATOR_PROFILE && changes.permissions.is_some() {
        return Err(Error::conflict("permissions", "the Administrator profile always has every permission"));
    }
    if changes.name.is_none() && changes.description.is_none() && changes.permissions.is_none() {
        return find(conn, id).await;
    }
    let row: Option<Row> = diesel::update(profiles::table.find(id))
        .set((changes, profiles::updated_at.eq(Utc::now())))
        .returning(Row::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(conflict)?;
    row.map(from_row).transpose()?.ok_or_else(|| Error::NotFound("profile not found".into()))
}

/// Deletes a profile; 409 for the Administrator profile, the profile given to new users, or one
/// still assigned to users (naming how many).
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid, default_profile: Uuid) -> Result<(), Error> {
    if id == ADMINISTRATOR_PROFILE || id == default_profile {
        return Err(Error::conflict("id", "the Administrator profile and the default profile cannot be deleted"));
    }
    let assigned: i64 = users::table.filter(users::profile_id.eq(id)).count().get_result(conn).await?;
    if assigned > 0 {
        return Err(Error::conflict("id", format!("the profile is assigned to {assigned} user(s)")));
    }
    match diesel::delete(profiles::table.find(id)).execute(conn).await? {
        0 => Err(Error::NotFound("profile not found".into())),
        _ => Ok(()),
    }
}

/// The id of the profile named `name` (case-insensitive), if any.
pub async fn id_by_name(conn: &mut AsyncPgConnection, name: &str) -> Result<Option<Uuid>, Error> {
    Ok(profiles::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(name) = lower(")
                .bind::<diesel::sql_types::Text, _>(name)
                .sql(")"),
        )
        .select(profiles::id)
        .first(conn)
        .await
        .optional()?)
}
