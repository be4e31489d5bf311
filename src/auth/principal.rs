//! The `Principal` extractor: the verified claims of the request's Bearer token.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

use super::{Claims, JwtKeys};
use crate::error::Error;

/// The caller, as proven by a valid Bearer token. Whether the user still exists (and the token
/// is not revoked) is checked by the domain actor that handles the request.
#[derive(Debug, Clone)]
pub struct Principal(pub Claims);

/// The token in an `Authorization: Bearer …` header, if any.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

impl FromRequest for Principal {
    type Error = Error;
    type Future = Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match (req.app_data::<web::Data<JwtKeys>>(), bearer_token(req)) {
            (None, _) => Err(Error::Internal("JwtKeys missing from app data".into())),
            (_, None) => Err(Error::Unauthorized("missing Authorization: Bearer <token> header".into())),
            (Some(keys), Some(token)) => keys.verify(token).map(Principal),
        };
        ready(result)
    }
}
