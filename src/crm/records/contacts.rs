//! CRM contacts: people at customer accounts, owned by a CRM user whose role decides who else
//! sees them. The generic record machinery (`crate::records`) serves them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::accounts::Accounts;
use crate::access::{Module, Scope};
use crate::error::Error;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::record_store;
use crate::records::{references, Filter, Listing, OperationHooks, RecordKind, Rules};
use crate::schema::crm::contacts;

/// The contacts module.
#[derive(Debug, Clone, Copy)]
pub struct Contacts;

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
    pub account_id: Option<Uuid>,
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

/// A contact create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = contacts)]
#[serde(rename_all = "camelCase")]
pub struct ContactChanges {
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub salutation: Option<Option<String>>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub first_name: Option<String>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub last_name: Option<String>,
    /// Required when creating; unique.
    #[serde(default, deserialize_with = "non_null")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mobile_phone: Option<Option<String>>,
    /// An account the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub account_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub department: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub territory: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub secondary_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub assistant_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub currency_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mailing_street: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mailing_city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mailing_state: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mailing_zip: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mailing_country: Option<Option<String>>,
    /// The owning CRM user (default: the caller); you or a user whose records you see.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
}

record_store!(Contacts, contacts, Contact, ContactChanges);

impl Listing for Contacts {
    const MODULE: Module = Module::Contacts;
    const NOUN: &'static str = "contact";
    const SEARCH: &'static str = "first_name || ' ' || last_name || ' ' || email";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("firstName", "first_name"),
        ("lastName", "last_name"),
        ("email", "email"),
    ];
    const FILTERS: &'static [Filter] = &[Filter::Id { param: "accountId", column: "account_id" }];
}

impl RecordKind for Contacts {
    const DOMAIN: &'static str = "crm";
    const PATH: &'static str = "contacts";
    type Listed = Contact;
    type Shown = Contact;
    type Saved = Contact;
}

impl OperationHooks for Contacts {
    const UNIQUE: &'static [(&'static str, &'static str)] = &[("contacts_email_key", "email")];

    async fn check(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        changes: &mut ContactChanges,
        _existing: Option<&Contact>,
    ) -> Result<(), Error> {
        references::check::<Accounts>(conn, scope, "accountId", changes.account_id).await
    }

    async fn show(_conn: &mut AsyncPgConnection, _scope: &Scope, row: Contact) -> Result<Contact, Error> {
        Ok(row)
    }
}

impl Rules for Contacts {
    fn validate(c: &mut ContactChanges, creating: bool) -> Result<(), Error> {
        let mut v = Validator::default();
        v.require("firstName", &mut c.first_name, 200, creating);
        v.require("lastName", &mut c.last_name, 200, creating);
        v.require_email("email", &mut c.email, creating);
        for (field, value, max) in [
            ("salutation", &mut c.salutation, 20),
            ("phone", &mut c.phone, 40),
            ("mobilePhone", &mut c.mobile_phone, 40),
            ("department", &mut c.department, 200),
            ("territory", &mut c.territory, 200),
            ("secondaryPhone", &mut c.secondary_phone, 40),
            ("assistantName", &mut c.assistant_name, 200),
            ("currencyCode", &mut c.currency_code, 3),
            ("mailingStreet", &mut c.mailing_street, 200),
            ("mailingCity", &mut c.mailing_city, 200),
            ("mailingState", &mut c.mailing_state, 200),
            ("mailingZip", &mut c.mailing_zip, 20),
            ("mailingCountry", &mut c.mailing_country, 200),
        ] {
            v.optional(field, value, max);
        }
        v.finish()
    }
}
