//! The outbox relay: publishes committed events in batches with publisher confirms and marks
//! them sent only after the confirm. Several nodes relay at once without publishing a row
//! twice (rows are locked `FOR UPDATE SKIP LOCKED` while in flight); a crash between confirm
//! and commit republishes, which consumers absorb (idempotent by event id and version).

use ::actors::bus::Publish;
use ::actors::{guarded, ActorEntry, ActorState, Instrumented};
use actix::prelude::*;
use diesel_async::AsyncConnection;
use std::sync::Arc;
use std::time::Duration;

use super::outbox;
use crate::db::DbPool;
use crate::error::Error;

/// Wakes the relay: a transaction that wrote an event committed (or the poll timer fired).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Kick;

/// How often sent rows older than an hour are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(60);

/// The relay actor.
pub struct Relay {
    entry: Arc<ActorEntry>,
    pool: DbPool,
    publisher: Recipient<Publish>,
    batch_size: i64,
    poll_interval: Duration,
    running: bool,
    kicked_while_running: bool,
}

impl Relay {
    /// A relay publishing through `publisher`.
    pub fn new(
        entry: Arc<ActorEntry>,
        pool: DbPool,
        publisher: Recipient<Publish>,
        batch_size: i64,
        poll_interval: Duration,
    ) -> Self {
        Self { entry, pool, publisher, batch_size, poll_interval, running: false, kicked_while_running: false }
    }
}

impl Actor for Relay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
        ctx.run_interval(self.poll_interval, |_, ctx| ctx.notify(Kick));
        ctx.run_interval(PURGE_EVERY, |relay, _| {
            let pool = relay.pool.clone();
            actix::spawn(async move {
                if let Ok(mut conn) = pool.get().await {
                    let _ = outbox::purge_sent(&mut conn).await;
                }
            });
        });
        ctx.notify(Kick);
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Supervised for Relay {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.entry.restarted();
        self.running = false;
    }
}

impl Instrumented for Relay {
    fn entry(&self) -> &Arc<ActorEntry> {
        &self.entry
    }
}

/// Publishes one batch of pending events; answers how many were locked and whether all of
/// them were confirmed.
async fn relay_batch(pool: DbPool, publisher: Recipient<Publish>, limit: i64) -> Result<(usize, bool), Error> {
    let mut conn = pool.get().await?;
    conn.transaction(async |conn| {
        let pending = outbox::lock_pending(conn, limit).await?;
        if pending.is_empty() {
            return Ok((0, true));
        }
        let count = pending.len();
        let confirmed = publisher.send(Publish(pending)).await?.map_err(|e| Error::Unavailable(e.to_string()))?;
        outbox::mark_sent(conn, &confirmed).await?;
        Ok((count, confirmed.len() == count))
    })
    .await
}

impl Handler<Kick> for Relay {
    type Result = ();

    fn handle(&mut self, _: Kick, ctx: &mut Self::Context) {
        if self.running {
            self.kicked_while_running = true;
            return;
        }
        self.running = true;
        let work = relay_batch(self.pool.clone(), self.publisher.clone(), self.batch_size).into_actor(self);
        ctx.spawn(guarded(self, work).map(|result, relay, ctx| {
            relay.running = false;
            let full_batch = matches!(result, Ok((count, true)) if count as i64 == relay.batch_size);
            if full_batch || (relay.kicked_while_running && result.is_ok()) {
                ctx.notify(Kick);
            }
            relay.kicked_while_running = false;
        }));
    }
}
