//! gateway: one node of an actor-model service mesh for CRM and service-desk work.
//! See docs/ARCHITECTURE.md for the parts and how a request flows through them.

pub mod access;
pub mod accounts;
pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod crm;
pub mod db;
pub mod desk;
pub mod error;
pub mod events;
pub mod health;
pub mod http;
pub mod openapi;
pub mod records;
pub mod schema;
pub mod telemetry;

pub use app::Application;
pub use config::Config;
