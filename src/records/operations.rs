//! The record operations every module shares, on a connection and for a caller's scope: create,
//! update and delete one record, and list a page. Each checks the profile's grant for the action
//! and reaches only records the scope may see; a domain actor's handlers call them (updates and
//! deletes inside a transaction, so a failed one leaves nothing behind).

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::list::RecordList;
use super::messages::BulkOutcome;
use super::store::{check_owner, find_visible, write_error};
use super::{Listing, OperationHooks};
use crate::access::{Action, Scope};
use crate::db::atomically;
use crate::error::Error;
use crate::http::page::Page;

/// Creates a record owned by the requested owner or the caller.
pub async fn create_one<K: OperationHooks>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    changes: &K::Changes,
) -> Result<K::Row, Error> {
    scope.require(K::MODULE, Action::Create)?;
    let mut changes = changes.clone();
    let owner = *K::owner_field(&mut changes).get_or_insert(scope.user_id);
    if owner != scope.user_id {
        check_owner(conn, scope, owner).await?;
    }
    K::check(conn, scope, &mut changes, None).await?;
    K::insert(conn, &changes, scope.user_id).await.map_err(write_error::<K>)
}

/// Updates one visible record the profile lets the caller update.
pub async fn update_one<K: OperationHooks>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: &K::Changes,
) -> Result<K::Row, Error> {
    // Writers of one record take turns, so checks made on `row` still hold at the write.
    K::lock(conn, id).await?;
    let row = find_visible::<K>(conn, scope, id).await?;
    scope.require_on(K::MODULE, Action::Update, K::owner(&row))?;
    if changes == &K::Changes::default() {
        return Ok(row);
    }
    let mut changes = changes.clone();
    if let Some(owner) = *K::owner_field(&mut changes) {
        check_owner(conn, scope, owner).await?;
    }
    K::check(conn, scope, &mut changes, Some(&row)).await?;
    K::update(conn, id, &changes, scope.user_id).await.map_err(write_error::<K>)
}

/// Deletes one visible record the profile lets the caller delete.
pub async fn delete_one<K: OperationHooks>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    cascade: bool,
) -> Result<(), Error> {
    let row = find_visible::<K>(conn, scope, id).await?;
    scope.require_on(K::MODULE, Action::Delete, K::owner(&row))?;
    K::remove(conn, scope, &row, cascade).await
}

/// Runs `work` for each id in a transaction of its own (a failed id leaves nothing behind and
/// does not stop the others); answers one outcome per id, in order.
pub async fn each_on_its_own<T>(
    conn: &mut AsyncPgConnection,
    ids: Vec<Uuid>,
    mut work: impl AsyncFnMut(&mut AsyncPgConnection, Uuid) -> Result<T, Error>,
) -> Vec<BulkOutcome> {
    let mut outcomes = Vec::with_capacity(ids.len());
    for id in ids {
        let result = atomically(conn, async |conn| work(conn, id).await).await;
        outcomes.push(BulkOutcome::of(id, result));
    }
    outcomes
}

/// One page of the records the caller may read, filtered and sorted in SQL.
pub async fn list<K: Listing>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    list: &RecordList,
) -> Result<Page<K::Row>, Error> {
    let conditions = list.conditions::<K>(scope)?;
    let (order, counted_in_page) = list.plan();
    let (total, items) = K::page(conn, conditions, order, counted_in_page, list.page.limit, list.page.offset()).await?;
    Ok(Page { items, total, page: list.page.page, limit: list.page.limit })
}
