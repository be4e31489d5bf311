//! The CRM actor's handlers for every record module: each receives the caller's scope and runs
//! the shared record operation, updates and deletes in one transaction each, then announces
//! changed contacts and accounts. A CRM module lists and saves its rows as stored
//! ([`CrmRecord`]).

use actix::prelude::*;

use crate::crm::actor::{CrmActor, Deps};
use crate::db::atomically;
use crate::error::Error;
use crate::http::page::Page;
use crate::records::audited::Audited;
use crate::records::messages::*;
use crate::records::operations::{create_one, delete_one, each_on_its_own, list, update_one};
use crate::records::routes::BulkChanges;
use crate::records::store::find_visible;
use crate::records::{OperationHooks, RecordStore};

/// A CRM record module: the shared operations' hooks, its lists and writes answering the stored row.
pub trait CrmRecord: OperationHooks<Listed = <Self as RecordStore>::Row, Saved = <Self as RecordStore>::Row> {}

impl<K> CrmRecord for K where K: OperationHooks<Listed = <K as RecordStore>::Row, Saved = <K as RecordStore>::Row> {}

/// Announces every record a bulk request changed.
fn announce<K: CrmRecord>(deps: &Deps, outcomes: &[BulkOutcome]) {
    for outcome in outcomes.iter().filter(|outcome| outcome.ok) {
        deps.record_changed(K::MODULE, outcome.id);
    }
}

impl<K: CrmRecord> Handler<List<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<K::Row>, Error>>;

    fn handle(&mut self, msg: List<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            list::<K>(&mut *deps.pool.get().await?, &scope, &msg.list).await
        })
    }
}

impl<K: CrmRecord> Handler<Get<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Shown, Error>>;

    fn handle(&mut self, msg: Get<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let row = find_visible::<K>(&mut conn, &scope, msg.id).await?;
            K::show(&mut conn, &scope, row).await
        })
    }
}

impl<K: CrmRecord> Handler<Create<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Row, Error>>;

    fn handle(&mut self, msg: Create<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let changes = msg.changes;
            // One INSERT after reads: atomic without a transaction.
            create_one::<K>(&mut *deps.pool.get().await?, &scope, &changes).await
        })
    }
}

impl<K: CrmRecord> Handler<Update<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<K::Row, Error>>;

    fn handle(&mut self, msg: Update<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let (id, changes) = (msg.id, msg.changes);
            let mut conn = deps.pool.get().await?;
            let row = atomically(&mut conn, async |conn| update_one::<K>(conn, &scope, id, &changes).await).await?;
            deps.record_changed(K::MODULE, id);
            Ok(row)
        })
    }
}

impl<K: CrmRecord> Handler<Delete<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: Delete<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let (id, cascade, trail) = (msg.id, msg.cascade, msg.trail);
            let fields: &[&str] = if cascade { &["cascade"] } else { &[] };
            let audited = Audited { node: &deps.node, trail: &trail, fields };
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| {
                delete_one::<K>(conn, &scope, id, cascade).await?;
                audited.deleted::<K>(conn, id).await
            })
            .await?;
            deps.record_changed(K::MODULE, id);
            Ok(())
        })
    }
}

impl<K: CrmRecord> Handler<BulkUpdate<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkUpdate<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let BulkChanges { ids, changes } = msg.request.into_inner();
            let mut conn = deps.pool.get().await?;
            let outcomes =
                each_on_its_own(&mut conn, ids, async |conn, id| update_one::<K>(conn, &scope, id, &changes).await)
                    .await;
            announce::<K>(&deps, &outcomes);
            Ok(outcomes)
        })
    }
}

impl<K: CrmRecord> Handler<BulkDelete<K>> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkDelete<K>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let audited = Audited { node: &deps.node, trail: &msg.trail, fields: &["bulk"] };
            let outcomes = each_on_its_own(&mut conn, msg.ids, async |conn, id| {
                delete_one::<K>(conn, &scope, id, false).await?;
                audited.deleted::<K>(conn, id).await
            })
            .await;
            announce::<K>(&deps, &outcomes);
            Ok(outcomes)
        })
    }
}
