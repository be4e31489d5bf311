//! The CRM's consumer of user events (`crm_user_sync`): applies each event atomically (event
//! id claimed + user upserted by version, one statement) and is acknowledged only after it
//! committed.

use ::actors::bus::{Deliver, Rejection};
use ::actors::{guarded, ActorEntry, ActorState, Instrumented};
use actix::prelude::*;
use std::sync::Arc;
use std::time::Duration;

use super::models::{self, SyncedUser};
use crate::db::DbPool;
use crate::error::Error;

/// How often processed event ids older than a week are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// The user sync consumer.
pub struct UserSync {
    entry: Arc<ActorEntry>,
    pool: DbPool,
}

impl UserSync {
    /// A consumer writing to `pool`.
    pub fn new(entry: Arc<ActorEntry>, pool: DbPool) -> Self {
        Self { entry, pool }
    }
}

impl Actor for UserSync {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
        ctx.run_interval(PURGE_EVERY, |sync, _| {
            let pool = sync.pool.clone();
            actix::spawn(async move {
                if let Ok(mut conn) = pool.get().await {
                    let _ = models::purge_processed(&mut conn).await;
                }
            });
        });
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Supervised for UserSync {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.entry.restarted();
    }
}

impl Instrumented for UserSync {
    fn entry(&self) -> &Arc<ActorEntry> {
        &self.entry
    }
}

impl Handler<Deliver> for UserSync {
    type Result = ResponseActFuture<Self, Result<(), Rejection>>;

    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        let pool = self.pool.clone();
        let work = async move {
            let deleted_at = match envelope.kind.as_str() {
                "user.created" | "user.updated" => None,
                "user.deleted" => Some(envelope.occurred_at),
                other => return Err(Rejection::Poison(format!("unknown event type {other}"))),
            };
            let user: SyncedUser = serde_json::from_value(envelope.data)
                .map_err(|e| Rejection::Poison(format!("malformed user data: {e}")))?;
            let retry = |e: Error| Rejection::Retry(e.to_string());
            let mut conn = pool.get().await.map_err(|e| retry(e.into()))?;
            models::apply(&mut conn, envelope.id, &user, deleted_at).await.map_err(retry)
        };
        guarded(self, work.into_actor(self))
    }
}
