//! Storage shared by the record modules: [`record_store!`] writes a module's queries for its
//! table; the functions here add visibility, ownership rules and error mapping on top.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{Listing, OperationHooks};
use crate::access::visibility::user_visible;
use crate::access::{Action, Scope};
use crate::db::Condition;
use crate::error::Error;
use diesel::BoolExpressionMethods;

/// Implements [`super::RecordStore`] for `$kind` on the table module `$table` (which has `id`,
/// `owner_id`, `created_by`, `modified_by` and `updated_at`), selecting `$row` (with `id` and
/// `owner_id`) and writing `$changes` (with `owner_id`).
macro_rules! record_store {
    ($kind:ty, $table:ident, $row:ty, $changes:ty) => {
        const _: () = {
            use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
            use diesel_async::RunQueryDsl;

            impl $crate::records::RecordStore for $kind {
                type Table = $table::table;
                type Row = $row;
                type Changes = $changes;

                fn id(row: &$row) -> uuid::Uuid {
                    row.id
                }

                fn owner(row: &$row) -> uuid::Uuid {
                    row.owner_id
                }

                fn owner_field(changes: &mut $changes) -> &mut Option<uuid::Uuid> {
                    &mut changes.owner_id
                }

                fn readable(
                    scope: &$crate::access::Scope,
                    grant: $crate::access::Grant,
                ) -> Option<$crate::db::Condition<$table::table>> {
                    $crate::readable_sql!($table, scope, grant)
                }

                async fn find(
                    conn: &mut diesel_async::AsyncPgConnection,
                    id: uuid::Uuid,
                    visible: Option<$crate::db::Condition<$table::table>>,
                ) -> diesel::QueryResult<Option<$row>> {
                    let mut query = $table::table.filter($table::id.eq(id)).into_boxed();
                    if let Some(condition) = visible {
                        query = query.filter(condition);
                    }
                    RunQueryDsl::first(query.select(<$row>::as_select()), conn).await.optional()
                }

                async fn lock(conn: &mut diesel_async::AsyncPgConnection, id: uuid::Uuid) -> diesel::QueryResult<()> {
                    let query = $table::table.filter($table::id.eq(id)).select($table::id).for_update();
                    RunQueryDsl::load::<uuid::Uuid>(query, conn).await?;
                    Ok(())
                }

                async fn insert(
                    conn: &mut diesel_async::AsyncPgConnection,
                    changes: &$changes,
                    author: uuid::Uuid,
                ) -> diesel::QueryResult<$row> {
                    let insert = diesel::insert_into($table::table).values((
                        changes,
                        $table::id.eq(uuid::Uuid::new_v4()),
                        $table::created_by.eq(author),
                        $table::modified_by.eq(author),
                    ));
                    RunQueryDsl::get_result(insert.returning(<$row>::as_returning()), conn).await
                }

                async fn update(
                    conn: &mut diesel_async::AsyncPgConnection,
                    id: uuid::Uuid,
                    changes: &$changes,
                    author: uuid::Uuid,
                ) -> diesel::QueryResult<$row> {
                    let update = diesel::update($table::table.find(id)).set((
                        changes,
                        $table::modified_by.eq(author),
                        $table::updated_at.eq(diesel::dsl::now),
                    ));
                    RunQueryDsl::get_result(update.returning(<$row>::as_returning()), conn).await
                }

                async fn delete(
                    conn: &mut diesel_async::AsyncPgConnection,
                    id: uuid::Uuid,
                ) -> diesel::QueryResult<usize> {
                    RunQueryDsl::execute(diesel::delete($table::table.find(id)), conn).await
                }

                async fn count(
                    conn: &mut diesel_async::AsyncPgConnection,
                    conditions: Vec<$crate::db::Condition<$table::table>>,
                ) -> diesel::QueryResult<i64> {
                    let query = conditions.into_iter().fold($table::table.into_boxed(), |q, c| q.filter(c));
                    RunQueryDsl::get_result(query.count(), conn).await
                }

                async fn page(
                    conn: &mut diesel_async::AsyncPgConnection,
                    conditions: impl Fn() -> Vec<$crate::db::Condition<$table::table>>,
                    order: &str,
                    counted_in_page: bool,
                    limit: i64,
                    offset: i64,
                ) -> diesel::QueryResult<(i64, Vec<$row>)> {
                    let filtered = || conditions().into_iter().fold($table::table.into_boxed(), |q, c| q.filter(c));
                    let order = diesel::dsl::sql::<diesel::sql_types::Text>(order);
                    if !counted_in_page {
                        let total = Self::count(conn, conditions()).await?;
                        let query = filtered().select(<$row>::as_select()).order(order).limit(limit).offset(offset);
                        return Ok((total, RunQueryDsl::load(query, conn).await?));
                    }
                    let total = diesel::dsl::sql::<diesel::sql_types::BigInt>("count(*) OVER ()");
                    let query =
                        filtered().select((<$row>::as_select(), total)).order(order).limit(limit).offset(offset);
                    let rows: Vec<($row, i64)> = RunQueryDsl::load(query, conn).await?;
                    let total = match <[_]>::first(&rows) {
                        Some((_, total)) => *total,
                        None if offset > 0 => Self::count(conn, conditions()).await?,
                        None => 0,
                    };
                    let items = rows.into_iter().map(|(row, _)| row).collect();
                    Ok((total, items))
                }
            }
        };
    };
}
pub(crate) use record_store;

/// `snake_case` → `camelCase`, to name a field from its column.
fn camel(column: &str) -> String {
    let mut parts = column.split('_');
    let mut name = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// A failed insert or update as the client should see it: a taken unique value is 409 naming
/// its field, a reference to a missing row is 422 naming the referencing field.
pub fn write_error<K: OperationHooks>(error: DieselError) -> Error {
    if let DieselError::DatabaseError(kind, info) = &error {
        let constraint = info.constraint_name().unwrap_or_default();
        match kind {
            DatabaseErrorKind::UniqueViolation => {
                let field = K::UNIQUE.iter().find(|(name, _)| *name == constraint).map_or("id", |(_, field)| field);
                return Error::conflict(field, format!("a {} with this {field} exists", K::NOUN));
            }
            DatabaseErrorKind::CheckViolation => {
                return Error::Conflict {
                    detail: format!("the {} would break a rule of its table ({constraint}); try again", K::NOUN),
                    field: None,
                };
            }
            DatabaseErrorKind::ForeignKeyViolation => {
                let prefix = format!("{}_", K::PATH.replace('-', "_"));
                let column =
                    constraint.strip_prefix(&prefix).and_then(|c| c.strip_suffix("_fkey")).unwrap_or(constraint);
                return Error::invalid(&camel(column), "refers to a record that does not exist");
            }
            _ => {}
        }
    }
    error.into()
}

/// A failed delete as the client should see it: 409 naming the records that still refer to it.
pub fn referenced<K: Listing>(error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
            let by = info.table_name().unwrap_or("other records");
            Error::Conflict { detail: format!("this {} is still referenced by {by}", K::NOUN), field: None }
        }
        _ => error.into(),
    }
}

/// Deletes one record; 409 when others still refer to it.
pub async fn delete<K: Listing>(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), Error> {
    K::delete(conn, id).await.map_err(referenced::<K>)?;
    Ok(())
}

/// Every condition joined with AND; `None` when there is none.
pub fn all<T: 'static>(conditions: Vec<Condition<T>>) -> Option<Condition<T>> {
    conditions.into_iter().reduce(|all, next| Box::new(all.and(next)))
}

/// The record of `K` if the caller may read it and the module's `always` conditions hold (for
/// example: not deleted); `None` otherwise, 403 when the profile does not allow reading `K` at all.
pub async fn find_readable<K: Listing>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<K::Row>, Error> {
    let grant = scope.require(K::MODULE, Action::Read)?;
    let mut conditions = K::always();
    conditions.extend(K::readable(scope, grant));
    Ok(K::find(conn, id, all(conditions)).await?)
}

/// The record if the caller may read it; 404 otherwise (also when it exists but is hidden).
pub async fn find_visible<K: Listing>(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> Result<K::Row, Error> {
    find_readable::<K>(conn, scope, id).await?.ok_or_else(|| Error::NotFound(format!("{} not found", K::NOUN)))
}

/// 422 naming `ownerId` unless the caller may give records to `owner`: themselves, or a CRM
/// user whose records they see.
pub async fn check_owner(conn: &mut AsyncPgConnection, scope: &Scope, owner: Uuid) -> Result<(), Error> {
    if user_visible(conn, scope, owner).await? {
        Ok(())
    } else {
        Err(Error::invalid("ownerId", "must be you or a CRM user whose records you see"))
    }
}
