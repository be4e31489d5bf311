//! The authorization model every domain uses (crm and desk alike): profiles grant actions per
//! module, roles in a tree decide whose records a user sees. `model` holds the types, `cache`
//! resolves and caches a user's scope per node, `caller` hands it to handlers at the edge, and
//! `visibility` is the one read rule in its SQL and Rust forms.

pub mod cache;
pub mod caller;
pub mod model;
pub mod visibility;

pub use caller::{Manager, Scoped};
pub use model::{Action, Grant, Module, Permissions, Scope, ADMINISTRATOR_PROFILE};

use ::actors::{ActorInfo, Registry};
use actix::{Addr, Arbiter, Supervisor};
use std::sync::Arc;

use cache::{Access, Scopes};

/// Starts the actor that empties `scopes` on the mesh's `crm.access.changed` (before the bus
/// that feeds it).
pub fn start(scopes: Arc<Scopes>, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<Access> {
    let entry = registry.register(ActorInfo {
        name: "access.scopes".into(),
        kind: "async".into(),
        system: "access".into(),
        supervisor: "access.supervisor".into(),
    });
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| Access::new(entry, scopes))
}
