//! The desk domain, one folder per feature: `tickets` (comments, activity, SLA clock), `orders`
//! (work orders and estimates with exact totals) and `catalog` (what their lines are priced
//! from), with the status rules of all three in `transitions`. One actor serves them all; CRM contacts and accounts are reached through the CRM's
//! typed messages (`crm::api`), kept briefly in `link_cache`, never through CRM tables.

pub mod actor;
pub mod catalog;
pub mod link_cache;
pub mod orders;
pub mod references;
pub mod tickets;
pub mod transitions;

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
