//! Checks of what a desk record refers to in the CRM, through the link cache and `ResolveLinks`
//! (never CRM tables): a contact or account must be one the caller can see, an owner the caller
//! or a CRM user whose records they see.

use std::sync::Arc;
use uuid::Uuid;

use super::actor::Deps;
use super::link_cache::Links;
use crate::access::visibility::can_read;
use crate::access::{Grant, Scope};
use crate::crm::api::Reference;
use crate::error::Error;
use crate::http::validate::Validator;

/// 422 naming each reference the caller may not make; answers the resolved links.
pub async fn check(
    deps: &Deps,
    scope: &Arc<Scope>,
    contact: Option<Uuid>,
    account: Option<Uuid>,
    owner: Option<Uuid>,
) -> Result<Links, Error> {
    let owner = owner.filter(|owner| *owner != scope.user_id);
    let links = deps.links(scope, Vec::from_iter(contact), Vec::from_iter(account), Vec::from_iter(owner)).await?;
    let mut v = Validator::default();
    for (field, noun, id, resolved) in
        [("contactId", "contact", contact, &links.contacts), ("accountId", "account", account, &links.accounts)]
    {
        if id.is_some_and(|id| !matches!(resolved.get(&id), Some(Reference::Visible { .. }))) {
            v.error(field, format!("no {noun} with this id that you can see"));
        }
    }
    let seen = |owner: &Uuid| links.users.contains(owner) && can_read(scope, Grant::All, *owner);
    if owner.is_some_and(|owner| !seen(&owner)) {
        v.error("ownerId", "must be you or a CRM user whose records you see");
    }
    v.finish()?;
    Ok(links)
}
