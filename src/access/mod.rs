//! The authorization model every domain uses (crm and desk alike): profiles grant actions per
//! module, roles in a tree decide whose records a user sees. `model` holds the types, `cache`
//! resolves and caches a user's scope per node, `visibility` is the one read rule in its SQL
//! and Rust forms.

pub mod cache;
pub mod model;
pub mod visibility;

pub use model::{Action, Grant, Module, Permissions, Scope, ADMINISTRATOR_PROFILE};
