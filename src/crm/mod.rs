//! The CRM domain: the user directory synced from accounts' user events, profiles and roles
//! (the data of the access model), and the record modules contacts, accounts, leads and deals.
//! Other domains reach it only through [`api`].

pub mod access_admin;
pub mod actor;
pub mod api;
pub mod records;
pub mod users;

use ::actors::{ActorInfo, Registry};
use actix::{Addr, Arbiter, Supervisor};
use std::sync::Arc;

use crate::db::DbPool;
use actor::{CrmActor, Deps};
use users::sync::UserSync;
use uuid::Uuid;

fn info(name: &str) -> ActorInfo {
    ActorInfo { name: name.into(), kind: "async".into(), system: "crm".into(), supervisor: "crm.supervisor".into() }
}

/// The profile new users get: `crm.default_profile` must name an existing profile.
pub async fn default_profile(pool: &DbPool, name: &str) -> anyhow::Result<Uuid> {
    access_admin::profiles::id_by_name(&mut *pool.get().await?, name)
        .await
        .map_err(|e| anyhow::anyhow!("reading profiles: {e}"))?
        .ok_or_else(|| anyhow::anyhow!("invalid setting `crm.default_profile`: no profile named {name:?}"))
}

/// Starts the consumer of user events on the domains' arbiter (before the bus that feeds it).
pub fn start_user_sync(
    pool: DbPool,
    default_profile: Uuid,
    registry: &Arc<Registry>,
    arbiter: &Arbiter,
) -> Addr<UserSync> {
    let entry = registry.register(info("crm.user-sync"));
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| UserSync::new(entry, pool, default_profile))
}

/// Starts the CRM actor on the domains' arbiter.
pub fn start(deps: Deps, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<CrmActor> {
    let entry = registry.register(info("crm.service"));
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| CrmActor::new(entry, deps))
}
