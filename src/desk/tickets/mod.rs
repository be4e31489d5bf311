//! Desk tickets: fields and SLA clock (`model`, `sla`), comments and the activity log, the
//! messages the desk actor answers for them, its handlers, routes and views.

pub mod activity;
pub mod comments;
pub mod handlers;
pub mod messages;
pub mod model;
pub mod routes;
pub mod sla;
pub mod views;
