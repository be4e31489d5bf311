//! Managing the data of the access model: profiles (per-module grants) and roles (the tree that
//! decides whose records a user sees). The model itself is `crate::access`.

pub mod handlers;
pub mod messages;
pub mod profiles;
pub mod roles;
pub mod routes;
