//! The desk catalog: services, parts and taxes that work order and estimate lines are priced from.

pub mod handlers;
pub mod messages;
pub mod model;
pub mod routes;
