//! The audit log (`audit.entries`): who did what, to what, from where. A change writes its entry
//! with [`record`] on the connection of its own transaction, so the entry exists exactly when the
//! change does; entries are append-only (a trigger refuses updates) and name the fields a change
//! touched, never their values. `GET /admin/audit` reads them ([`routes`]); [`retention`] deletes
//! those older than `audit.retention`.

pub mod entries;
pub mod retention;
pub mod routes;
pub mod trail;

pub use entries::{record, Target};
pub use trail::Trail;
