//! Whether a CRM user's records are visible to a [`Scope`]. (The SQL condition for a table's
//! records is each record module's `RecordStore::readable`.)

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::Scope;
use crate::error::Error;
use crate::schema::crm::users;

/// Whether `user` is a (not deleted) CRM user whose records `scope` sees.
pub async fn user_visible(conn: &mut AsyncPgConnection, scope: &Scope, user: Uuid) -> Result<bool, Error> {
    let role: Option<Option<Uuid>> = users::table
        .find(user)
        .filter(users::deleted_at.is_null())
        .select(users::role_id)
        .first(conn)
        .await
        .optional()?;
    Ok(role.is_some_and(|role| scope.sees(user, role)))
}
