//! Contact request bodies and their validation.

use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;
use crate::http::validate::{patch_field, Validator};
use crate::schema::crm::contacts;

const TEXT_MAX: usize = 200;

/// `POST /crm/contacts` and `PATCH /crm/contacts/{id}` body (also the `changes` of bulk update).
/// Absent fields stay; `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactRequest {
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub salutation: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub mobile_phone: Option<Option<String>>,
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
    /// The owning CRM user (default: the caller); must be someone the caller can see.
    pub owner_id: Option<Uuid>,
}

/// Validated contact fields; `None` leaves a column alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = contacts)]
pub struct ContactChanges {
    pub salutation: Option<Option<String>>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Option<String>>,
    pub mobile_phone: Option<Option<String>>,
    pub department: Option<Option<String>>,
    pub territory: Option<Option<String>>,
    pub secondary_phone: Option<Option<String>>,
    pub assistant_name: Option<Option<String>>,
    pub currency_code: Option<Option<String>>,
    pub mailing_street: Option<Option<String>>,
    pub mailing_city: Option<Option<String>>,
    pub mailing_state: Option<Option<String>>,
    pub mailing_zip: Option<Option<String>>,
    pub mailing_country: Option<Option<String>>,
    pub owner_id: Option<Uuid>,
}

impl ContactChanges {
    /// Validates a body, collecting every invalid field; `creating` makes firstName, lastName
    /// and email required.
    pub fn parse(raw: ContactRequest, creating: bool) -> Result<Self, Error> {
        let mut v = Validator::default();
        let required = |v: &mut Validator, field: &str, value: Option<Option<String>>| match (value, creating) {
            (None, true) => Some(v.required_text(field, None, TEXT_MAX)),
            (value, _) => v.patch_required(field, value, TEXT_MAX),
        };
        let first_name = required(&mut v, "firstName", raw.first_name);
        let last_name = required(&mut v, "lastName", raw.last_name);
        let email = match (raw.email, creating) {
            (None, true) => Some(v.email("email", None)),
            (Some(Some(email)), _) => Some(v.email("email", Some(email))),
            (Some(None), _) => {
                v.error("email", "must not be null");
                None
            }
            (None, false) => None,
        };
        let changes = Self {
            salutation: v.patch_optional("salutation", raw.salutation, 20),
            first_name,
            last_name,
            email,
            phone: v.patch_optional("phone", raw.phone, 40),
            mobile_phone: v.patch_optional("mobilePhone", raw.mobile_phone, 40),
            department: v.patch_optional("department", raw.department, TEXT_MAX),
            territory: v.patch_optional("territory", raw.territory, TEXT_MAX),
            secondary_phone: v.patch_optional("secondaryPhone", raw.secondary_phone, 40),
            assistant_name: v.patch_optional("assistantName", raw.assistant_name, TEXT_MAX),
            currency_code: v.patch_optional("currencyCode", raw.currency_code, 3),
            mailing_street: v.patch_optional("mailingStreet", raw.mailing_street, TEXT_MAX),
            mailing_city: v.patch_optional("mailingCity", raw.mailing_city, TEXT_MAX),
            mailing_state: v.patch_optional("mailingState", raw.mailing_state, TEXT_MAX),
            mailing_zip: v.patch_optional("mailingZip", raw.mailing_zip, 20),
            mailing_country: v.patch_optional("mailingCountry", raw.mailing_country, TEXT_MAX),
            owner_id: raw.owner_id,
        };
        v.finish()?;
        Ok(changes)
    }

    /// True when nothing would change.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// `POST /crm/contacts/bulk-update` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkUpdateRequest {
    pub ids: Vec<Uuid>,
    pub changes: ContactRequest,
}

/// `POST /crm/contacts/bulk-delete` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkDeleteRequest {
    pub ids: Vec<Uuid>,
}

/// Most ids one bulk request may name.
pub const BULK_MAX: usize = 500;

/// 422 unless `ids` names 1 to [`BULK_MAX`] records.
pub fn check_ids(ids: &[Uuid]) -> Result<(), Error> {
    if ids.is_empty() || ids.len() > BULK_MAX {
        return Err(Error::invalid("ids", format!("must list 1 to {BULK_MAX} ids")));
    }
    Ok(())
}
