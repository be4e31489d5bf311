//! Where a change comes from: the signed-in user, the client address and the request id, taken
//! from the request at the edge and carried by the messages that change something.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use std::future::{ready, Ready};
use uuid::Uuid;

use crate::error::Error;
use crate::telemetry::RequestId;

/// The origin of a change, as the audit log records it.
#[derive(Debug, Clone, Default)]
pub struct Trail {
    /// The signed-in user who acts; `None` for an anonymous request (a login attempt).
    pub actor: Option<Uuid>,
    /// The client address (the TCP peer).
    pub address: Option<String>,
    /// The request's `x-request-id`.
    pub request_id: Option<String>,
}

impl Trail {
    /// This trail, acted on by `actor`.
    pub fn by(self, actor: Uuid) -> Self {
        Self { actor: Some(actor), ..self }
    }
}

impl FromRequest for Trail {
    type Error = Error;
    type Future = Ready<Result<Self, Error>>;

    /// The request's address and id; the actor is set by the route once it knows the caller.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let address = req.peer_addr().map(|a| a.ip().to_string());
        let request_id = req.extensions().get::<RequestId>().and_then(|id| id.0.to_str().ok().map(str::to_string));
        ready(Ok(Self { actor: None, address, request_id }))
    }
}
