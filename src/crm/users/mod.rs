//! The CRM's user directory: users synced from accounts' user events (`sync`), with the role and
//! profile a CRM manager assigns them.

pub mod handlers;
pub mod messages;
pub mod model;
pub mod routes;
pub mod sync;
pub mod views;
