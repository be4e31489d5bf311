//! The CRM domain. For now: the user directory synced from accounts' user events.

pub mod actor;
pub mod messages;
pub mod models;
pub mod routes;
pub mod sync;
pub mod views;

use ::actors::{ActorInfo, Registry};
use actix::{Addr, Arbiter, Supervisor};
use std::sync::Arc;

use crate::accounts::actor::AccountsActor;
use crate::db::DbPool;
use actor::{CrmActor, Deps};
use sync::UserSync;

fn info(name: &str) -> ActorInfo {
    ActorInfo { name: name.into(), kind: "async".into(), system: "crm".into(), supervisor: "crm.supervisor".into() }
}

/// Starts the consumer of user events on the CRM arbiter (before the bus that feeds it).
pub fn start_user_sync(pool: DbPool, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<UserSync> {
    let entry = registry.register(info("crm.user-sync"));
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| UserSync::new(entry, pool))
}

/// Starts the CRM actor on the CRM arbiter.
pub fn start(
    pool: DbPool,
    accounts: Addr<AccountsActor>,
    registry: &Arc<Registry>,
    arbiter: &Arbiter,
) -> Addr<CrmActor> {
    let entry = registry.register(info("crm.directory"));
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| CrmActor::new(entry, Deps { pool, accounts }))
}
