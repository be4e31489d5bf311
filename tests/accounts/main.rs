//! Black-box tests of the accounts endpoints against a real PostgreSQL.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod audit;
mod login;
mod me;
mod register;
mod security;
mod sessions;
