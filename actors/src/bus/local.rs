//! The in-process bus: with no broker configured, envelopes go straight from the outbox relay
//! to this node's consumers (and broadcasts only reach this node).

use actix::prelude::*;
use std::sync::Arc;

use super::{topic, Broadcast, BusError, Close, Deliver, Publish, Rejection, Subscription};
use crate::instrument::ActorEntry;
use crate::supervise::guarded;

/// The in-process bus actor.
pub struct LocalBus {
    entry: Arc<ActorEntry>,
    subscriptions: Vec<Subscription>,
    broadcast: Vec<Recipient<Deliver>>,
}

impl LocalBus {
    /// A bus delivering to `subscriptions` and, for broadcasts, to `broadcast`.
    pub fn new(entry: Arc<ActorEntry>, subscriptions: Vec<Subscription>, broadcast: Vec<Recipient<Deliver>>) -> Self {
        Self { entry, subscriptions, broadcast }
    }
}

crate::supervised_actor!(LocalBus);

impl Handler<Publish> for LocalBus {
    type Result = ResponseActFuture<Self, Result<Vec<uuid::Uuid>, BusError>>;

    /// Delivers each envelope to every matching subscription in order; stops at the first
    /// consumer that asks for a retry, so the rest stay pending in the outbox.
    fn handle(&mut self, Publish(batch): Publish, _: &mut Self::Context) -> Self::Result {
        let subscriptions = self.subscriptions.clone();
        let work = async move {
            let mut confirmed = Vec::with_capacity(batch.len());
            for envelope in batch {
                for subscription in subscriptions.iter().filter(|s| topic::matches(&s.pattern, &envelope.kind)) {
                    match subscription.recipient.send(Deliver(envelope.clone())).await {
                        Ok(Ok(())) => {}
                        Ok(Err(Rejection::Poison(reason))) => {
                            tracing::error!(event = %envelope.id, queue = %subscription.queue, %reason, "dropping poison event (no broker: no dead-letter queue)");
                        }
                        Ok(Err(Rejection::Retry(reason))) => {
                            tracing::warn!(event = %envelope.id, %reason, "consumer asked for a retry");
                            return Ok(confirmed);
                        }
                        Err(mailbox) => return Err(BusError::Down(mailbox.to_string())),
                    }
                }
                confirmed.push(envelope.id);
            }
            Ok(confirmed)
        };
        guarded(self, work.into_actor(self))
    }
}

impl Handler<Broadcast> for LocalBus {
    type Result = ();

    fn handle(&mut self, Broadcast(envelope): Broadcast, _: &mut Self::Context) {
        for recipient in &self.broadcast {
            recipient.do_send(Deliver(envelope.clone()));
        }
    }
}

impl Handler<Close> for LocalBus {
    type Result = ();

    fn handle(&mut self, _: Close, _: &mut Self::Context) {}
}
