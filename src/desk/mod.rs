//! The desk domain: tickets with comments, activity and an SLA clock, tied to CRM contacts and
//! accounts through typed messages (never CRM tables). Work orders and estimates build on
//! `totals` and `transitions`.

pub mod actor;
pub mod catalog;
pub mod comments;
pub mod handlers;
pub mod link_cache;
pub mod messages;
pub mod order_handlers;
pub mod order_messages;
pub mod order_routes;
pub mod orders;
pub mod references;
pub mod routes;
pub mod sla;
pub mod tickets;
pub mod totals;
pub mod transitions;
pub mod views;

use ::actors::{ActorInfo, Registry};
use actix::{Addr, Arbiter, Supervisor};
use std::sync::Arc;

use actor::{Deps, DeskActor};

/// Starts the desk actor on the domains' arbiter.
pub fn start(deps: Deps, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<DeskActor> {
    let entry = registry.register(ActorInfo {
        name: "desk.service".into(),
        kind: "async".into(),
        system: "desk".into(),
        supervisor: "desk.supervisor".into(),
    });
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| DeskActor::new(entry, deps))
}
