//! CRM contacts: people at customer accounts, owned by a CRM user whose role decides who else
//! sees them.

pub mod handlers;
pub mod input;
pub mod messages;
pub mod routes;
pub mod store;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schema::crm::contacts;

/// A contact as stored and as shown.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = contacts, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: Uuid,
    pub salutation: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub department: Option<String>,
    pub territory: Option<String>,
    pub secondary_phone: Option<String>,
    pub assistant_name: Option<String>,
    pub currency_code: Option<String>,
    pub mailing_street: Option<String>,
    pub mailing_city: Option<String>,
    pub mailing_state: Option<String>,
    pub mailing_zip: Option<String>,
    pub mailing_country: Option<String>,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
