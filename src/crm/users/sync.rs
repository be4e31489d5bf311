//! The CRM's consumer of user events (`crm_user_sync`): applies events atomically in batches
//! (event ids claimed + users upserted by version, one statement per batch); each delivery is
//! acknowledged only after its event committed.

use ::actors::bus::{Deliver, Envelope, Rejection};
use ::actors::{guarded, ActorEntry, ActorState, Instrumented};
use actix::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::model::{self, SyncedUser, UserEvent};
use crate::db::DbPool;
use crate::error::Error;

/// How often processed event ids older than a week are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// Most events applied in one statement.
const MAX_BATCH: usize = 500;

/// An event waiting for the next batch, with the delivery's answer.
type Waiting = (UserEvent, oneshot::Sender<Result<(), Rejection>>);

/// Applies the events waiting so far as one batch.
#[derive(Message)]
#[rtype(result = "()")]
struct Flush;

/// The user sync consumer. Deliveries that arrive while a batch is being written wait and go
/// into the next one (group commit): each delivery is still answered only after its own event
/// committed.
pub struct UserSync {
    entry: Arc<ActorEntry>,
    pool: DbPool,
    default_profile: Uuid,
    waiting: Vec<Waiting>,
    flushing: bool,
}

impl UserSync {
    /// A consumer writing to `pool`, giving new users `default_profile`.
    pub fn new(entry: Arc<ActorEntry>, pool: DbPool, default_profile: Uuid) -> Self {
        Self { entry, pool, default_profile, waiting: Vec::new(), flushing: false }
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
                    let _ = model::purge_processed(&mut conn).await;
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
        self.flushing = false;
    }
}

impl Instrumented for UserSync {
    fn entry(&self) -> &Arc<ActorEntry> {
        &self.entry
    }
}

/// The event in an envelope, or why it can never be applied.
fn parse(envelope: Envelope) -> Result<UserEvent, Rejection> {
    let deleted_at = match envelope.kind.as_str() {
        "user.created" | "user.updated" => None,
        "user.deleted" => Some(envelope.occurred_at),
        other => return Err(Rejection::Poison(format!("unknown event type {other}"))),
    };
    let user: SyncedUser =
        serde_json::from_value(envelope.data).map_err(|e| Rejection::Poison(format!("malformed user data: {e}")))?;
    Ok(UserEvent { event_id: envelope.id, user, deleted_at })
}

/// Writes a batch; if the batch as a whole fails, each event is tried alone so that one bad
/// event cannot hold back the others. Every waiting delivery gets its own answer.
async fn write(pool: DbPool, batch: Vec<Waiting>, default_profile: Uuid) -> Result<(), Error> {
    let mut conn = pool.get().await?;
    let events: Vec<UserEvent> = batch.iter().map(|(event, _)| event.clone()).collect();
    if model::apply_batch(&mut conn, &events, default_profile).await.is_ok() {
        for (_, reply) in batch {
            let _ = reply.send(Ok(()));
        }
        return Ok(());
    }
    for (event, reply) in batch {
        let result = model::apply_batch(&mut conn, std::slice::from_ref(&event), default_profile).await;
        let _ = reply.send(result.map_err(|e| Rejection::Retry(e.to_string())));
    }
    Ok(())
}

impl Handler<Deliver> for UserSync {
    type Result = ResponseFuture<Result<(), Rejection>>;

    fn handle(&mut self, Deliver(envelope): Deliver, ctx: &mut Self::Context) -> Self::Result {
        let call = self.entry.begin();
        let event = match parse(envelope) {
            Ok(event) => event,
            Err(poison) => {
                call.finish(Some(poison.to_string()));
                return Box::pin(std::future::ready(Err(poison)));
            }
        };
        let (reply, answer) = oneshot::channel();
        self.waiting.push((event, reply));
        if !self.flushing {
            self.flushing = true;
            ctx.notify(Flush);
        }
        Box::pin(async move {
            let result = answer.await.unwrap_or_else(|_| Err(Rejection::Retry("the batch was abandoned".into())));
            call.finish(result.as_ref().err().map(ToString::to_string));
            result
        })
    }
}

impl Handler<Flush> for UserSync {
    type Result = ();

    fn handle(&mut self, _: Flush, ctx: &mut Self::Context) {
        let take = self.waiting.len().min(MAX_BATCH);
        let batch: Vec<Waiting> = self.waiting.drain(..take).collect();
        let work = guarded(self, write(self.pool.clone(), batch, self.default_profile).into_actor(self));
        ctx.spawn(work.map(|_, sync, ctx| {
            sync.flushing = !sync.waiting.is_empty();
            if sync.flushing {
                ctx.notify(Flush);
            }
        }));
    }
}
