//! How a ticket is shown: its fields, the CRM contact and account it refers to as the caller
//! sees them now (name, or hidden, or missing), and whether it is overdue.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::Ticket;
use super::sla;
use crate::crm::api::Reference;
use crate::desk::link_cache::Links;

/// A referenced CRM record.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub id: Uuid,
    /// `{status: "visible", name}`, `{status: "hidden"}` or `{status: "missing"}`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub link: Reference,
}

/// A ticket as the API answers it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketView {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub contact: Option<LinkView>,
    pub account: Option<LinkView>,
    pub overdue: bool,
}

impl TicketView {
    /// The view of `ticket` with its links resolved in `links`, at `now`.
    pub fn new(ticket: Ticket, links: &Links, now: DateTime<Utc>) -> Self {
        let view = |id: Option<Uuid>, resolved: &std::collections::HashMap<Uuid, Reference>| {
            id.map(|id| LinkView { id, link: resolved.get(&id).cloned().unwrap_or(Reference::Missing) })
        };
        let contact = view(ticket.contact_id, &links.contacts);
        let account = view(ticket.account_id, &links.accounts);
        let overdue = sla::overdue(&ticket.status, ticket.due_date, ticket.on_hold_since, now);
        Self { ticket, contact, account, overdue }
    }
}
