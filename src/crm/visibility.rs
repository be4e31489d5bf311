//! Record visibility in SQL (never by filtering pages in memory): the condition under which a
//! [`Scope`] may read a record of a table with an `owner_id` column.

use diesel::dsl::sql;
use diesel::sql_types::{Array, Bool, Uuid as SqlUuid};

use super::access::{Grant, Scope};
use crate::db::Condition;

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
