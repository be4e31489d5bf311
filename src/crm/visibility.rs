//! Record visibility in SQL (never by filtering pages in memory): the condition under which a
//! [`Scope`] may read a record of a table with an `owner_id` column, and whether a CRM user's
//! records are visible at all.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::access::{Grant, Scope};
use crate::db::Condition;
use crate::error::Error;
use crate::schema::crm::users;

/// The condition for records `scope` may read with `grant`; `None` when everything is visible
/// (the Administrator profile).
pub fn readable<T: 'static>(scope: &Scope, grant: Grant) -> Option<Condition<T>> {
    if scope.administrator {
        return None;
    }
    let own = sql::<Bool>("(owner_id = ").bind::<SqlUuid, _>(scope.user_id);
    Some(match grant {
        Grant::All if !scope.visible_roles.is_empty() => Box::new(
            own.sql(" OR owner_id IN (SELECT id FROM crm.users WHERE role_id = ANY(")
                .bind::<Array<SqlUuid>, _>(scope.visible_roles.clone())
                .sql(")))"),
        ),
        _ => Box::new(own.sql(")")),
    })
}

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
