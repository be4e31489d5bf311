//! The accounts domain: registration, login, tokens and user management.

pub mod actor;
pub mod events;
pub mod input;
pub mod messages;
pub mod models;
pub mod routes;
pub mod session_handlers;
pub mod sessions;
pub mod views;

use actix::{Addr, Arbiter, Supervisor};
use actors::{ActorInfo, Registry};
use std::sync::Arc;

use crate::auth::throttle::LoginThrottle;
use crate::config::LoginConfig;
use actor::{AccountsActor, Deps};

/// Starts the accounts actor under its supervisor on the domains' arbiter.
pub fn start(deps: Deps, login: &LoginConfig, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<AccountsActor> {
    let entry = registry.register(ActorInfo {
        name: "accounts.users".into(),
        kind: "async".into(),
        system: "accounts".into(),
        supervisor: "accounts.supervisor".into(),
    });
    let throttle = LoginThrottle::new(login);
    let addr = Supervisor::start_in_arbiter(&arbiter.handle(), move |_| AccountsActor::new(entry, deps, throttle));
    registry.accept_faults("accounts.users", addr.clone().recipient());
    addr
}
