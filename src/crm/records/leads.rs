//! CRM leads: prospects not yet qualified into contacts. A lead's status moves among new,
//! contacted, qualified and unqualified; only conversion ([`super::conversion`]) makes it
//! `converted`, after which its status no longer changes.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::{Module, Scope};
use crate::error::Error;
use crate::http::decimal;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::record_store;
use crate::records::{Filter, Listing, OperationHooks, RecordKind, Rules};
use crate::schema::crm::leads;

/// Every status a lead can have; the last only through conversion.
pub const STATUSES: [&str; 5] = ["new", "contacted", "qualified", "unqualified", "converted"];
/// The status of a converted lead.
pub const CONVERTED: &str = "converted";

/// The leads module.
#[derive(Debug, Clone, Copy)]
pub struct Leads;

/// A lead as stored and as shown.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = leads, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    pub id: Uuid,
    pub salutation: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub company: Option<String>,
    pub product_name: Option<String>,
    pub currency_code: Option<String>,
    pub employee_count: Option<i32>,
    pub hq_code: Option<String>,
    /// An exact decimal, as a string.
    #[serde(serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub billing_amount: Option<BigDecimal>,
    /// An exact decimal, as a string.
    #[serde(serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub exchange_rate: Option<BigDecimal>,
    pub billing_street: Option<String>,
    pub billing_city: Option<String>,
    pub billing_state: Option<String>,
    pub billing_zip: Option<String>,
    pub billing_country: Option<String>,
    pub shipping_street: Option<String>,
    pub shipping_city: Option<String>,
    pub shipping_state: Option<String>,
    pub shipping_zip: Option<String>,
    pub shipping_country: Option<String>,
    pub lead_source: Option<String>,
    pub status: String,
    pub converted_contact_id: Option<Uuid>,
    pub converted_account_id: Option<Uuid>,
    pub converted_deal_id: Option<Uuid>,
    pub converted_at: Option<DateTime<Utc>>,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A lead create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = leads)]
#[serde(rename_all = "camelCase")]
pub struct LeadChanges {
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub salutation: Option<Option<String>>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub first_name: Option<String>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub last_name: Option<String>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub phone: Option<String>,
    /// Required when creating; unique.
    #[serde(default, deserialize_with = "non_null")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub product_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub currency_code: Option<Option<String>>,
    /// An integer ≥ 0.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<i32>)]
    pub employee_count: Option<Option<i32>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub hq_code: Option<Option<String>>,
    /// A decimal ≥ 0 with at most 2 places, as a number or a string.
    #[serde(default, deserialize_with = "decimal::patch")]
    #[schema(value_type = Option<String>)]
    pub billing_amount: Option<Option<BigDecimal>>,
    /// A decimal > 0 with at most 6 places, as a number or a string.
    #[serde(default, deserialize_with = "decimal::patch")]
    #[schema(value_type = Option<String>)]
    pub exchange_rate: Option<Option<BigDecimal>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_street: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_state: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_zip: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_street: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_state: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_zip: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub lead_source: Option<Option<String>>,
    /// new (default), contacted, qualified or unqualified.
    #[serde(default, deserialize_with = "non_null")]
    pub status: Option<String>,
    /// The owning CRM user (default: the caller); you or a user whose records you see.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
}

record_store!(Leads, leads, Lead, LeadChanges);

impl Listing for Leads {
    const MODULE: Module = Module::Leads;
    const NOUN: &'static str = "lead";
    const SEARCH: &'static str = "first_name || ' ' || last_name || ' ' || email || ' ' || coalesce(company, '')";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("firstName", "first_name"),
        ("lastName", "last_name"),
        ("email", "email"),
        ("company", "company"),
        ("status", "status"),
    ];
    const FILTERS: &'static [Filter] = &[Filter::Choice { param: "status", column: "status", values: &STATUSES }];
}

impl RecordKind for Leads {
    const DOMAIN: &'static str = "crm";
    const PATH: &'static str = "leads";
    type Listed = Lead;
    type Shown = Lead;
    type Saved = Lead;
}

impl OperationHooks for Leads {
    const UNIQUE: &'static [(&'static str, &'static str)] = &[("leads_email_key", "email")];

    /// A converted lead keeps its status.
    async fn check(
        _conn: &mut AsyncPgConnection,
        _scope: &Scope,
        changes: &mut LeadChanges,
        existing: Option<&Lead>,
    ) -> Result<(), Error> {
        if changes.status.is_some() && existing.is_some_and(|lead| lead.status == CONVERTED) {
            return Err(Error::conflict("status", "the lead is converted; its status no longer changes"));
        }
        Ok(())
    }

    async fn show(_conn: &mut AsyncPgConnection, _scope: &Scope, row: Lead) -> Result<Lead, Error> {
        Ok(row)
    }
}

impl Rules for Leads {
    /// A lead answers with what its conversion created besides the stored fields.
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "createdAt",
        "updatedAt",
        "createdBy",
        "modifiedBy",
        "convertedContactId",
        "convertedAccountId",
        "convertedDealId",
        "convertedAt",
    ];

    fn validate(c: &mut LeadChanges, creating: bool) -> Result<(), Error> {
        let mut v = Validator::default();
        v.require("firstName", &mut c.first_name, 200, creating);
        v.require("lastName", &mut c.last_name, 200, creating);
        v.require("phone", &mut c.phone, 40, creating);
        v.require_email("email", &mut c.email, creating);
        v.choice("status", c.status.as_deref(), &STATUSES[..4]);
        if c.employee_count.flatten().is_some_and(|n| n < 0) {
            v.error("employeeCount", "must be 0 or more");
        }
        v.decimal("billingAmount", c.billing_amount.as_ref().and_then(Option::as_ref), 2, &BigDecimal::from(0), 16);
        let smallest_rate = BigDecimal::new(1.into(), 6);
        v.decimal("exchangeRate", c.exchange_rate.as_ref().and_then(Option::as_ref), 6, &smallest_rate, 12);
        for (field, value, max) in [
            ("salutation", &mut c.salutation, 20),
            ("company", &mut c.company, 200),
            ("productName", &mut c.product_name, 200),
            ("currencyCode", &mut c.currency_code, 3),
            ("hqCode", &mut c.hq_code, 40),
            ("billingStreet", &mut c.billing_street, 200),
            ("billingCity", &mut c.billing_city, 200),
            ("billingState", &mut c.billing_state, 200),
            ("billingZip", &mut c.billing_zip, 20),
            ("billingCountry", &mut c.billing_country, 200),
            ("shippingStreet", &mut c.shipping_street, 200),
            ("shippingCity", &mut c.shipping_city, 200),
            ("shippingState", &mut c.shipping_state, 200),
            ("shippingZip", &mut c.shipping_zip, 20),
            ("shippingCountry", &mut c.shipping_country, 200),
            ("leadSource", &mut c.lead_source, 100),
        ] {
            v.optional(field, value, max);
        }
        v.finish()
    }
}
