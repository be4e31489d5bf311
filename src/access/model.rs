//! The authorization model's types, used by crm and desk alike.
//!
//! A user has one **profile**: per module a grant for create, read, update and delete, each
//! `true` (any record the user may see), `"own"` (only records they own) or `false`. A user has
//! one **role** in a tree: they see records they own, records owned by users in roles below
//! theirs, and — when their role shares data with peers — records of users in the same role. The
//! `Administrator` profile sees and does everything.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;

/// The `Administrator` profile created by the first CRM access migration.
pub const ADMINISTRATOR_PROFILE: Uuid = Uuid::from_u128(0x00000000_0000_4000_8000_000000000001);

/// How far one action is allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Grant {
    /// `false`: not allowed.
    #[default]
    None,
    /// `"own"`: allowed on records the user owns.
    Own,
    /// `true`: allowed on every record the user may see.
    All,
}

impl Serialize for Grant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::None => serializer.serialize_bool(false),
            Self::Own => serializer.serialize_str("own"),
            Self::All => serializer.serialize_bool(true),
        }
    }
}

impl<'de> Deserialize<'de> for Grant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Bool(false) => Ok(Self::None),
            serde_json::Value::Bool(true) => Ok(Self::All),
            serde_json::Value::String(s) if s == "own" => Ok(Self::Own),
            other => Err(serde::de::Error::custom(format!("expected true, false or \"own\", found {other}"))),
        }
    }
}

/// A module whose records profiles govern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Module {
    Contacts,
    Accounts,
    Leads,
    Deals,
    Tickets,
    WorkOrders,
    Estimates,
}

/// An action on a module's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Read,
    Update,
    Delete,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Create => "create",
            Self::Read => "read",
            Self::Update => "update",
            Self::Delete => "delete",
        })
    }
}

impl std::fmt::Display for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        f.write_str(&name)
    }
}

/// The four grants of one module; a missing grant is `false`, an unknown action is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Grants {
    /// `true`, `false` or `"own"`.
    #[schema(value_type = Object)]
    pub create: Grant,
    #[schema(value_type = Object)]
    pub read: Grant,
    #[schema(value_type = Object)]
    pub update: Grant,
    #[schema(value_type = Object)]
    pub delete: Grant,
}

/// A profile's permissions: `{module: {create, read, update, delete}}`; a missing module grants
/// nothing, an unknown module is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "BTreeMap<String, Grants>")]
pub struct Permissions(pub BTreeMap<Module, Grants>);

/// Read with string keys first, so that an error inside a module names its path
/// (`permissions.contacts.share`), then each key checked as a module.
impl TryFrom<BTreeMap<String, Grants>> for Permissions {
    type Error = String;

    fn try_from(raw: BTreeMap<String, Grants>) -> Result<Self, String> {
        raw.into_iter()
            .map(|(name, grants)| {
                serde_json::from_value::<Module>(serde_json::Value::String(name.clone()))
                    .map(|module| (module, grants))
                    .map_err(|_| format!("unknown module `{name}`"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl Permissions {
    /// The grant for one action on one module.
    pub fn grant(&self, module: Module, action: Action) -> Grant {
        let grants = self.0.get(&module).copied().unwrap_or_default();
        match action {
            Action::Create => grants.create,
            Action::Read => grants.read,
            Action::Update => grants.update,
            Action::Delete => grants.delete,
        }
    }
}

/// What one user may see and do in the CRM, resolved from their profile and role.
#[derive(Debug, Clone)]
pub struct Scope {
    pub user_id: Uuid,
    /// Holds the `Administrator` profile: sees and does everything.
    pub administrator: bool,
    pub permissions: Permissions,
    /// The users whose records this user sees besides their own: those in every role below
    /// theirs, and in their own role when it shares data with peers.
    pub visible_users: Vec<Uuid>,
}

impl Scope {
    /// 403 naming the module and action unless the profile allows it at all; answers the grant.
    pub fn require(&self, module: Module, action: Action) -> Result<Grant, Error> {
        if self.administrator {
            return Ok(Grant::All);
        }
        match self.permissions.grant(module, action) {
            Grant::None => Err(Error::Forbidden(format!("your profile does not allow {action} on {module}"))),
            grant => Ok(grant),
        }
    }

    /// 403 unless the action is allowed on a visible record owned by `owner`.
    pub fn require_on(&self, module: Module, action: Action, owner: Uuid) -> Result<(), Error> {
        match self.require(module, action)? {
            Grant::Own if owner != self.user_id => {
                Err(Error::Forbidden(format!("your profile allows {action} on {module} only for records you own")))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_read_and_write_as_true_false_or_own() {
        let parsed: Permissions =
            serde_json::from_str(r#"{"contacts": {"create": true, "read": "own"}, "workOrders": {"delete": false}}"#)
                .unwrap();
        assert_eq!(parsed.grant(Module::Contacts, Action::Create), Grant::All);
        assert_eq!(parsed.grant(Module::Contacts, Action::Read), Grant::Own);
        assert_eq!(parsed.grant(Module::Contacts, Action::Update), Grant::None);
        assert_eq!(parsed.grant(Module::Deals, Action::Read), Grant::None);
        let json = serde_json::to_value(&parsed).unwrap();
        assert_eq!(json["contacts"]["read"], "own");
        assert_eq!(json["workOrders"]["delete"], false);
        assert!(serde_json::from_str::<Permissions>(r#"{"widgets": {}}"#).is_err());
        assert!(serde_json::from_str::<Permissions>(r#"{"contacts": {"share": true}}"#).is_err());
        assert!(serde_json::from_str::<Permissions>(r#"{"contacts": {"read": "some"}}"#).is_err());
    }
}
