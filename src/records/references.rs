//! Checks on records that a write refers to (a contact's account, a deal's lead): the caller
//! must be able to see them, so a reference never confirms a hidden record exists.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::Listing;
use crate::access::{Action, Grant, Scope};
use crate::error::Error;

/// The referenced record of module `K` if the caller may read it; 422 naming `field` otherwise.
pub async fn visible<K: Listing>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    field: &str,
    id: Uuid,
) -> Result<K::Row, Error> {
    let grant = scope.require(K::MODULE, Action::Read).unwrap_or(Grant::None);
    let found = match grant {
        Grant::None => None,
        grant => K::find(conn, id, K::readable(scope, grant)).await?,
    };
    found.ok_or_else(|| Error::invalid(field, format!("no {} with this id that you can see", K::NOUN)))
}

/// [`visible`] for an optional reference being set (`Some(Some(id))`).
pub async fn check<K: Listing>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    field: &str,
    reference: Option<Option<Uuid>>,
) -> Result<(), Error> {
    if let Some(Some(id)) = reference {
        visible::<K>(conn, scope, field, id).await?;
    }
    Ok(())
}
