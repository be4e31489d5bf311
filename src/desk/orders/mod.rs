//! Desk work orders and estimates ("documents"): shared fields and lines (`model`), exact totals
//! (`totals`), estimate conversion, and their messages, handlers and routes.

pub mod handlers;
pub mod messages;
pub mod model;
pub mod routes;
pub mod totals;
