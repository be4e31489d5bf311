//! The caller as a domain sees them, resolved once at the edge: [`Scoped`] is a signed-in user with
//! their [`Scope`] from this node's [`Scopes`] cache, [`Manager`] one who may manage the CRM (and
//! the desk catalog). A cache hit costs no actor message and no query.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use std::sync::Arc;

use super::cache::Scopes;
use super::Scope;
use crate::auth::caller::resolve;
use crate::auth::AuthUser;
use crate::error::Error;

/// This node's scope cache from the app data.
fn scopes(req: &HttpRequest) -> Result<Arc<Scopes>, Error> {
    req.app_data::<web::Data<Arc<Scopes>>>()
        .map(|scopes| scopes.get_ref().clone())
        .ok_or_else(|| Error::Internal("the scope cache is missing from app data".into()))
}

/// A signed-in CRM user and what they may see and do (401 when not signed in, 403 when the CRM
/// does not know them yet).
#[derive(Debug, Clone)]
pub struct Scoped(pub Arc<Scope>);

impl FromRequest for Scoped {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = resolve(&req).await?;
            Ok(Scoped(scopes(&req)?.resolve(user.id).await?))
        })
    }
}

/// A user who manages the CRM and the desk catalog: a platform administrator, or a holder of the
/// Administrator profile (403 otherwise).
#[derive(Debug, Clone)]
pub struct Manager(pub AuthUser);

impl FromRequest for Manager {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = resolve(&req).await?;
            if user.is_admin || scopes(&req)?.resolve(user.id).await?.administrator {
                return Ok(Manager(user));
            }
            Err(Error::Forbidden("this needs a platform administrator or the Administrator profile".into()))
        })
    }
}
