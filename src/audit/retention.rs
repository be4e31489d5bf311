//! The housekeeping actor `audit.retention`: every hour it deletes the audit entries older than
//! `audit.retention`.

use ::actors::{guarded, ActorEntry, ActorState, Instrumented};
use actix::prelude::*;
use std::sync::Arc;
use std::time::Duration;

use super::entries;
use crate::db::DbPool;
use crate::error::Error;

/// How often old entries are deleted.
const EVERY: Duration = Duration::from_secs(3600);

/// Deletes the entries older than the retention now.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Purge;

/// The retention actor.
pub struct Retention {
    entry: Arc<ActorEntry>,
    pool: DbPool,
    keep: Duration,
}

impl Retention {
    /// An actor keeping entries for `keep`.
    pub fn new(entry: Arc<ActorEntry>, pool: DbPool, keep: Duration) -> Self {
        Self { entry, pool, keep }
    }
}

impl Actor for Retention {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
        ctx.run_interval(EVERY, |_, ctx| ctx.notify(Purge));
        ctx.notify(Purge);
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Supervised for Retention {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.entry.restarted();
    }
}

impl Instrumented for Retention {
    fn entry(&self) -> &Arc<ActorEntry> {
        &self.entry
    }
}

impl Handler<Purge> for Retention {
    type Result = ();

    fn handle(&mut self, _: Purge, ctx: &mut Self::Context) {
        let (pool, before) = (self.pool.clone(), chrono::Utc::now() - self.keep);
        let work = async move {
            let purged = entries::purge(&mut *pool.get().await?, before).await?;
            if purged > 0 {
                tracing::info!(purged, "audit entries past their retention deleted");
            }
            Ok::<_, Error>(())
        };
        ctx.spawn(guarded(self, work.into_actor(self)).map(|_, _, _| ()));
    }
}
