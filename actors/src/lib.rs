//! Domain-free actor machinery shared by every actor system of a node.
//!
//! - [`registry`]: every actor registers here with its name, kind, system and supervisor;
//!   a snapshot of the registry is what the admin inspection endpoint renders.
//! - [`instrument`]: monotonic per-actor counters (received, handled, failed, in flight,
//!   restarts, handling time) updated on every message.
//! - [`supervise`]: helpers that turn a panic inside a handler into a counted failure and a
//!   supervised restart instead of a dead node.
//!
//! This crate knows no domain, no HTTP and no SQL.

pub mod bus;
pub mod instrument;
pub mod registry;
pub mod supervise;

pub use instrument::{ActorEntry, ActorSnapshot, ActorState, Call};
pub use registry::{ActorInfo, NodeSnapshot, Registry};
pub use supervise::{guarded, guarded_sync, InjectFault, Instrumented, Outcome, Panicked};
