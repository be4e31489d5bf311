//! The CRM record modules — contacts, accounts, leads, deals — on the shared record machinery
//! (`crate::records`), plus lead conversion and the deal pipeline; the CRM actor's generic handlers
//! and the routes.

pub mod accounts;
pub mod contacts;
pub mod conversion;
pub mod deals;
pub mod handlers;
pub mod leads;
pub mod routes;
