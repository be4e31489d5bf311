//! The CRM actor's handlers for every record module: each resolves the caller's scope, checks
//! the profile's grant for the action and reaches only records the scope may see. Every write
//! runs in one transaction, so a failed one leaves nothing behind.

use actix::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::list::RecordList;
use super::messages::*;
use super::store::{check_owner, find_visible, write_error};
use super::RecordKind;
use crate::crm::access::{Action, Scope};
use crate::crm::actor::CrmActor;
use crate::db::atomically;
use crate::error::Error;
use crate::http::page::Page;

/// Creates a record owned by the requested owner or the caller.
pub(crate) async fn create_one<K: RecordKind>(
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
async fn update_one<K: RecordKind>(
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
async fn delete_one<K: RecordKind>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    cascade: bool,
) -> Result<(), Error> {
    let row = find_visible::<K>(conn, scope, id).await?;
    scope.require_on(K::MODULE, Action::Delete, K::owner(&row))?;
    K::remove(conn, scope, &row, cascade).await
}

/// One page of the records the caller may read, filtered and sorted in SQL.
async fn list<K: RecordKind>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    list: &RecordList,
) -> Result<Page<K::Row>, Error> {
    let conditions = list.conditions::<K>(scope)?;
    let (order, counted_in_page) = list.plan();
    let (total, items) = K::page(conn, conditions, order, counted_in_page, list.page.limit, list.page.offset()).await?;
    Ok(Page { items, total, page: list.page.page, limit: list.page.limit })
}

impl<K: RecordKind> Handler<List<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<K::Row>, Error>>;

    fn handle(&mut self, msg: List<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            list::<K>(&mut *deps.pool.get().await?, &scope, &msg.list).await
        })
    }
}

impl<K: RecordKind> Handler<Get<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Shown, Error>>;

    fn handle(&mut self, msg: Get<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let mut conn = deps.pool.get().await?;
            let row = find_visible::<K>(&mut conn, &scope, msg.id).await?;
            K::show(&mut conn, &scope, row).await
        })
    }
}

impl<K: RecordKind> Handler<Create<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Row, Error>>;

    fn handle(&mut self, msg: Create<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let changes = msg.changes;
            // One INSERT after reads: atomic without a transaction.
            create_one::<K>(&mut *deps.pool.get().await?, &scope, &changes).await
        })
    }
}

impl<K: RecordKind> Handler<Update<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Row, Error>>;

    fn handle(&mut self, msg: Update<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let (id, changes) = (msg.id, msg.changes);
            let mut conn = deps.pool.get().await?;
            let row = atomically(&mut conn, async |conn| update_one::<K>(conn, &scope, id, &changes).await).await?;
            deps.record_changed(K::MODULE, id);
            Ok(row)
        })
    }
}

impl<K: RecordKind> Handler<Delete<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: Delete<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let (id, cascade) = (msg.id, msg.cascade);
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| delete_one::<K>(conn, &scope, id, cascade).await).await?;
            deps.record_changed(K::MODULE, id);
            Ok(())
        })
    }
}

impl<K: RecordKind> Handler<BulkUpdate<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkUpdate<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let mut conn = deps.pool.get().await?;
            let mut outcomes = Vec::with_capacity(msg.ids.len());
            for id in msg.ids {
                let result =
                    atomically(&mut conn, async |conn| update_one::<K>(conn, &scope, id, &msg.changes).await).await;
                if result.is_ok() {
                    deps.record_changed(K::MODULE, id);
                }
                outcomes.push(BulkOutcome::of(id, result));
            }
            Ok(outcomes)
        })
    }
}

impl<K: RecordKind> Handler<BulkDelete<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkDelete<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let mut conn = deps.pool.get().await?;
            let mut outcomes = Vec::with_capacity(msg.ids.len());
            for id in msg.ids {
                let result = atomically(&mut conn, async |conn| delete_one::<K>(conn, &scope, id, false).await).await;
                if result.is_ok() {
                    deps.record_changed(K::MODULE, id);
                }
                outcomes.push(BulkOutcome::of(id, result));
            }
            Ok(outcomes)
        })
    }
}
