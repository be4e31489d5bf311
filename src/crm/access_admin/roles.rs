//! CRM roles: a tree (`parent_id`) whose position decides whose records a user sees.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
use crate::http::page::{Page, PageRequest};
use crate::http::validate::{patch_field, Validator};
use crate::schema::crm::{roles, users};

/// A role as stored and as shown.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = roles, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
    pub share_data_with_peers: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A role with the roles below it, for `GET /crm/roles/tree`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleNode {
    #[serde(flatten)]
    pub role: Role,
    #[schema(no_recursion)]
    pub children: Vec<RoleNode>,
}

/// `POST /crm/roles` and `PATCH /crm/roles/{id}` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleRequest {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// The role above this one; `null` makes it a root.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<Uuid>>,
    pub share_data_with_peers: Option<bool>,
}

/// Validated role fields; `None` leaves a field alone (on update).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = roles)]
pub struct RoleChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub parent_id: Option<Option<Uuid>>,
    pub share_data_with_peers: Option<bool>,
}

impl Validate for RoleRequest {
    type Valid = RoleChanges;
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    /// `POST` requires the name.
    fn validate(self, intent: &Intent) -> Result<RoleChanges, Error> {
        let (mut raw, creating) = (self, intent.creating());
        let mut v = Validator::default();
        v.require("name", &mut raw.name, 100, creating);
        v.optional("description", &mut raw.description, 1000);
        v.finish()?;
        Ok(RoleChanges {
            name: raw.name,
            description: raw.description,
            parent_id: raw.parent_id,
            share_data_with_peers: raw.share_data_with_peers,
        })
    }
}

fn conflict(error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            Error::conflict("name", "a role with this name exists")
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            Error::invalid("parentId", "no such role")
        }
        _ => error.into(),
    }
}

/// Serializes role writes, so concurrent moves cannot build a cycle between them.
async fn lock(conn: &mut AsyncPgConnection) -> Result<(), Error> {
    diesel::sql_query("LOCK TABLE crm.roles IN SHARE ROW EXCLUSIVE MODE").execute(conn).await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// 409 when making `parent` the parent of `role` would put `role` above itself.
async fn refuse_cycle(conn: &mut AsyncPgConnection, role: Uuid, parent: Uuid) -> Result<(), Error> {
    let cycle: Found = diesel::sql_query(
        "WITH RECURSIVE up AS (SELECT id, parent_id FROM crm.roles WHERE id = $1 \
         UNION ALL SELECT r.id, r.parent_id FROM crm.roles r JOIN up ON r.id = up.parent_id) \
         SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS found",
    )
    .bind::<SqlUuid, _>(parent)
    .bind::<SqlUuid, _>(role)
    .get_result(conn)
    .await?;
    if cycle.found {
        return Err(Error::conflict("parentId", "the role would become its own ancestor"));
    }
    Ok(())
}

/// One page of roles by name.
pub async fn list(conn: &mut AsyncPgConnection, request: &PageRequest) -> Result<Page<Role>, Error> {
    let filtered = || {
        let mut query = roles::table.into_boxed();
        if let Some(pattern) = request.search_pattern() {
            query = query.filter(roles::name.ilike(pattern));
        }
        query
    };
    let total = filtered().count().get_result(conn).await?;
    let items = filtered()
        .select(Role::as_select())
        .order(roles::name)
        .limit(request.limit)
        .offset(request.offset())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: request.page, limit: request.limit })
}

/// The whole hierarchy, roots first, children by name.
pub async fn tree(conn: &mut AsyncPgConnection) -> Result<Vec<RoleNode>, Error> {
    let all: Vec<Role> = roles::table.select(Role::as_select()).order(roles::name).load(conn).await?;
    fn children_of(parent: Option<Uuid>, all: &[Role]) -> Vec<RoleNode> {
        all.iter()
            .filter(|r| r.parent_id == parent)
            .map(|r| RoleNode { role: r.clone(), children: children_of(Some(r.id), all) })
            .collect()
    }
    Ok(children_of(None, &all))
}

/// The role with this id, or 404.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Role, Error> {
    roles::table
        .find(id)
        .select(Role::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| Error::NotFound("role not found".into()))
}

/// Creates a role (call inside a transaction); 409 on a taken name, 422 on an unknown parent.
pub async fn insert(conn: &mut AsyncPgConnection, changes: &RoleChanges) -> Result<Role, Error> {
    lock(conn).await?;
    diesel::insert_into(roles::table)
        .values((
            roles::id.eq(Uuid::new_v4()),
            roles::name.eq(changes.name.clone().unwrap_or_default()),
            roles::description.eq(changes.description.clone().flatten()),
            roles::parent_id.eq(changes.parent_id.flatten()),
            roles::share_data_with_peers.eq(changes.share_data_with_peers.unwrap_or(false)),
        ))
        .returning(Role::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)
}

/// Updates a role (call inside a transaction); 409 when the move would make a cycle.
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &RoleChanges) -> Result<Role, Error> {
    lock(conn).await?;
    let current = find(conn, id).await?;
    if let Some(Some(parent)) = changes.parent_id {
        refuse_cycle(conn, id, parent).await?;
    }
    if changes.name.is_none()
        && changes.description.is_none()
        && changes.parent_id.is_none()
        && changes.share_data_with_peers.is_none()
    {
        return Ok(current);
    }
    diesel::update(roles::table.find(id))
        .set((changes, roles::updated_at.eq(Utc::now())))
        .returning(Role::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)
}

/// Deletes a role (call inside a transaction); 409 naming the child roles or users it still has.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), Error> {
    lock(conn).await?;
    find(conn, id).await?;
    let children: Vec<String> = roles::table.filter(roles::parent_id.eq(id)).select(roles::name).load(conn).await?;
    if !children.is_empty() {
        return Err(Error::conflict("id", format!("the role still has child roles: {}", children.join(", "))));
    }
    let members: Vec<String> = users::table
        .filter(users::role_id.eq(id).and(users::deleted_at.is_null()))
        .select(users::email)
        .order(users::email)
        .load(conn)
        .await?;
    if !members.is_empty() {
        return Err(Error::conflict("id", format!("the role still has users: {}", members.join(", "))));
    }
    diesel::delete(roles::table.find(id)).execute(conn).await?;
    Ok(())
}
