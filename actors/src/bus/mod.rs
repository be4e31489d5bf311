//! The event bus: envelopes, the in-process bus and the RabbitMQ bridge. Both buses take the
//! same messages ([`Publish`], [`Broadcast`]) and deliver to the same recipients ([`Deliver`]),
//! so consumers cannot tell which one runs.

pub mod envelope;
pub mod local;
pub mod rabbit;
pub mod topic;

use actix::prelude::*;
use std::sync::atomic::{AtomicU8, Ordering};
use uuid::Uuid;

use crate::supervise::{Outcome, Panicked};
pub use envelope::Envelope;

/// Publishes a batch of events; answers the ids the bus confirmed (durably accepted). Ids
/// missing from the answer were not confirmed and must be published again.
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<Uuid>, BusError>")]
pub struct Publish(pub Vec<Envelope>);

/// Sends an envelope to every node of the mesh (best effort, not persisted).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Broadcast(pub Envelope);

/// Hands one event to a consumer. `Ok` acknowledges it; a [`Rejection`] says whether it may
/// succeed later.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Rejection>")]
pub struct Deliver(pub Envelope);

/// Why a consumer did not apply an event.
#[derive(Debug, Clone)]
pub enum Rejection {
    /// A transient failure (e.g. the database is down): deliver it again later.
    Retry(String),
    /// The event can never be applied (malformed): dead-letter it.
    Poison(String),
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Retry(reason) => write!(f, "retry: {reason}"),
            Self::Poison(reason) => write!(f, "poison: {reason}"),
        }
    }
}

impl Outcome for Rejection {
    fn fault(&self) -> Option<String> {
        Some(self.to_string())
    }
}

/// A consumer that panicked may succeed on a later delivery; the delivery limit bounds it.
impl From<Panicked> for Rejection {
    fn from(panic: Panicked) -> Self {
        Self::Retry(panic.0)
    }
}

/// Closes the broker connection cleanly (graceful shutdown); unacknowledged deliveries go
/// back to their queues.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Close;

/// Why a publish failed as a whole.
#[derive(Debug, Clone)]
pub enum BusError {
    /// No broker connection right now.
    Down(String),
    /// The publishing handler panicked.
    Panicked(String),
}

impl std::fmt::Display for BusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Down(reason) => write!(f, "broker unavailable: {reason}"),
            Self::Panicked(reason) => write!(f, "{reason}"),
        }
    }
}

impl Outcome for BusError {
    fn fault(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl From<Panicked> for BusError {
    fn from(panic: Panicked) -> Self {
        Self::Panicked(panic.0)
    }
}

/// Connection state of the node's bus, shared with readiness and inspection.
#[derive(Debug)]
pub struct BusState {
    kind: &'static str,
    state: AtomicU8,
}

/// The bus's link to the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Link {
    /// The in-process bus: always up.
    InProcess,
    /// Connected to the broker.
    Connected,
    /// Not connected; reconnecting with backoff.
    Disconnected,
}

impl BusState {
    /// The state of an in-process bus.
    pub fn in_process() -> Self {
        Self { kind: "in-process", state: AtomicU8::new(0) }
    }

    /// The state of a broker bridge, disconnected until it connects.
    pub fn broker() -> Self {
        Self { kind: "rabbitmq", state: AtomicU8::new(2) }
    }

    /// `in-process` or `rabbitmq`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The current link.
    pub fn link(&self) -> Link {
        match self.state.load(Ordering::Relaxed) {
            0 => Link::InProcess,
            1 => Link::Connected,
            _ => Link::Disconnected,
        }
    }

    /// True when events can flow.
    pub fn is_up(&self) -> bool {
        self.link() != Link::Disconnected
    }

    pub(crate) fn set_connected(&self, connected: bool) {
        self.state.store(if connected { 1 } else { 2 }, Ordering::Relaxed);
    }
}

/// A consumer's subscription: its queue, the routing pattern it binds, and where to deliver.
#[derive(Clone)]
pub struct Subscription {
    /// Durable queue shared by every node (competing consumers), e.g. `crm_user_sync`.
    pub queue: String,
    /// Topic pattern, e.g. `user.*`.
    pub pattern: String,
    /// The consuming actor.
    pub recipient: Recipient<Deliver>,
}
