//! Tickets: customer requests handled by an agent (the owner), with an SLA due date. The same
//! profiles and role visibility as CRM records apply (module `tickets`); deletion is soft.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::sla::OVERDUE_SQL;
use super::views::TicketView;
use crate::access::Module;
use crate::db::Condition;
use crate::desk::transitions::TICKET_STATUSES;
use crate::error::Error;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::record_store;
use crate::records::{Filter, Listing, RecordKind, Rules};
use crate::schema::desk::tickets;

/// Ticket priorities.
pub const PRIORITIES: [&str; 3] = ["low", "medium", "high"];
/// Ticket classifications.
pub const CLASSIFICATIONS: [&str; 5] = ["question", "problem", "request", "feature", "others"];
/// Channels a ticket arrives through.
pub const CHANNELS: [&str; 4] = ["email", "phone", "web", "chat"];

/// The tickets module.
#[derive(Debug, Clone, Copy)]
pub struct Tickets;

/// A ticket as stored.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = tickets, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: Uuid,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub classification: Option<String>,
    pub channel: Option<String>,
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub language: Option<String>,
    pub product_name: Option<String>,
    pub contact_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub owner_id: Uuid,
    pub due_date: Option<DateTime<Utc>>,
    pub on_hold_since: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A ticket create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = tickets)]
#[serde(rename_all = "camelCase")]
pub struct TicketChanges {
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub subject: Option<String>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub description: Option<String>,
    /// open (default), onHold, escalated, closed; a closed ticket reopens only to open.
    #[serde(default, deserialize_with = "non_null")]
    pub status: Option<String>,
    /// low, medium (default), high.
    #[serde(default, deserialize_with = "non_null")]
    pub priority: Option<String>,
    /// question, problem, request, feature, others.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub classification: Option<Option<String>>,
    /// email, phone, web, chat.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub channel: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub subcategory: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub product_name: Option<Option<String>>,
    /// A CRM contact the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    /// A CRM account the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub account_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// The agent (a CRM user): you or a user whose records you see; default you.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
    /// RFC 3339; default: now + the priority's SLA target.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_date: Option<Option<DateTime<Utc>>>,
}

record_store!(Tickets, tickets, Ticket, TicketChanges);

impl Listing for Tickets {
    const MODULE: Module = Module::Tickets;
    const NOUN: &'static str = "ticket";
    const SEARCH: &'static str = "subject || ' ' || description";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("dueDate", "due_date"),
        // By urgency and through the workflow, not alphabetically (the same lists as
        // `PRIORITIES` and `TICKET_STATUSES`).
        ("priority", "array_position(ARRAY['low', 'medium', 'high'], priority)"),
        ("status", "array_position(ARRAY['open', 'onHold', 'escalated', 'closed'], status)"),
        ("subject", "subject"),
    ];
    const FILTERS: &'static [Filter] = &[
        Filter::Choice { param: "status", column: "status", values: &TICKET_STATUSES },
        Filter::Choice { param: "priority", column: "priority", values: &PRIORITIES },
        Filter::Id { param: "contactId", column: "contact_id" },
        Filter::Id { param: "accountId", column: "account_id" },
        Filter::Flag { param: "overdue", sql: OVERDUE_SQL },
    ];

    fn always() -> Vec<Condition<tickets::table>> {
        vec![Box::new(tickets::deleted_at.is_null())]
    }
}

impl RecordKind for Tickets {
    const DOMAIN: &'static str = "desk";
    const PATH: &'static str = "tickets";
    type Listed = TicketView;
    type Shown = TicketView;
    type Saved = TicketView;
}

impl Rules for Tickets {
    /// A ticket answers with its SLA clock and links besides the stored fields.
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "createdAt",
        "updatedAt",
        "createdBy",
        "modifiedBy",
        "closedAt",
        "onHoldSince",
        "overdue",
        "contact",
        "account",
    ];

    /// Subject and description are required when creating.
    fn validate(changes: &mut TicketChanges, creating: bool) -> Result<(), Error> {
        let this = changes;
        let mut v = Validator::default();
        v.require("subject", &mut this.subject, 200, creating);
        v.require_lines("description", &mut this.description, 20_000, creating);
        v.choice("status", this.status.as_deref(), &TICKET_STATUSES);
        v.choice("priority", this.priority.as_deref(), &PRIORITIES);
        v.calendar("dueDate", this.due_date.flatten());
        v.choice("classification", this.classification.clone().flatten().as_deref(), &CLASSIFICATIONS);
        v.choice("channel", this.channel.clone().flatten().as_deref(), &CHANNELS);
        if let Some(Some(email)) = &mut this.email {
            *email = v.email("email", Some(email.clone()));
        }
        for (field, value, max) in [
            ("category", &mut this.category, 100),
            ("subcategory", &mut this.subcategory, 100),
            ("language", &mut this.language, 35),
            ("productName", &mut this.product_name, 200),
            ("phone", &mut this.phone, 40),
        ] {
            v.optional(field, value, max);
        }
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL that ranks `column` by its place in `values`.
    fn ranked(column: &str, values: &[&str]) -> String {
        let quoted: Vec<String> = values.iter().map(|value| format!("'{value}'")).collect();
        format!("array_position(ARRAY[{}], {column})", quoted.join(", "))
    }

    #[test]
    fn priority_and_status_sorts_rank_by_the_same_lists_the_rules_accept() {
        let sort = |name: &str| Tickets::SORTS.iter().find(|(param, _)| *param == name).map(|(_, sql)| sql.to_string());
        assert_eq!(sort("priority"), Some(ranked("priority", &PRIORITIES)));
        assert_eq!(sort("status"), Some(ranked("status", &TICKET_STATUSES)));
    }
}
