//! The one read rule of the access model, in its Rust and SQL forms side by side: a user reads
//! records they own; with a full (`true`) read grant also those owned by the users in the roles
//! they see (the roles below theirs, and their own when it shares data with peers); the
//! Administrator profile reads everything. Both forms come from [`readable_owners`];
//! `tests/visibility.rs` checks that they agree on real rows.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::{Grant, Scope};
use crate::error::Error;
use crate::schema::crm::users;

/// The owners whose records `scope` may read with `grant`; `None`: every record.
pub fn readable_owners(scope: &Scope, grant: Grant) -> Option<Vec<Uuid>> {
    if scope.administrator {
        return None;
    }
    Some(match grant {
        Grant::None => Vec::new(),
        Grant::Own => vec![scope.user_id],
        Grant::All => std::iter::once(scope.user_id).chain(scope.visible_users.iter().copied()).collect(),
    })
}

/// The Rust form: whether `scope` may read, with `grant`, a record owned by `owner` (for records
/// known only through messages, such as the CRM contacts a desk ticket refers to).
pub fn can_read(scope: &Scope, grant: Grant, owner: Uuid) -> bool {
    readable_owners(scope, grant).is_none_or(|owners| owners.contains(&owner))
}

/// The SQL form over a table's `owner_id` column: `owner_id = ANY($1)` with the owners bound, so
/// statements stay in the prepared-statement cache and read no other table; `None` when every
/// record is readable. `record_store!` writes it for each table as `RecordStore::readable`.
#[macro_export]
macro_rules! readable_sql {
    ($table:ident, $scope:expr, $grant:expr) => {
        $crate::access::visibility::readable_owners($scope, $grant).map(|owners| {
            Box::new(diesel::ExpressionMethods::eq_any($table::owner_id, owners))
                as $crate::db::Condition<$table::table>
        })
    };
}

/// Whether `user` is a (not deleted) CRM user whose records `scope` sees: one a record may be
/// given to.
pub async fn user_visible(conn: &mut AsyncPgConnection, scope: &Scope, user: Uuid) -> Result<bool, Error> {
    let exists: Option<Uuid> =
        users::table.find(user).filter(users::deleted_at.is_null()).select(users::id).first(conn).await.optional()?;
    Ok(exists.is_some() && can_read(scope, Grant::All, user))
}
