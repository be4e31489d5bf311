//! `Json<T>`: a JSON body extractor whose every failure is problem+json naming the field.
//! Syntax errors are 400, values of the wrong type 422 (with the field's path), a body over
//! the configured limit 413, and a content type other than JSON 415.

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{Error, FieldError};

/// A deserialized JSON request body.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    Error::PayloadTooLarge("request body is larger than the server accepts".into())
                } else {
                    Error::bad_request("body", format!("could not read request body: {e}"))
                }
            })?;
            parse(&req, &body).map(Json)
        })
    }
}

/// Parses a JSON body already read into memory, with the same errors as [`Json`].
pub fn parse<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, Error> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        return Err(Error::UnsupportedMediaType(
            "the request body must be JSON (Content-Type: application/json)".into(),
        ));
    }
    if body.is_empty() {
        return Err(Error::bad_request("body", "the request body is empty; expected a JSON object"));
    }
    // Derived struct deserializers also accept an array of the fields in order; a body is an object.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => Err(Error::invalid("body", "must be a JSON object")),
            Err(inner) => Err(Error::bad_request("body", format!("malformed JSON: {inner}"))),
        };
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { "body".to_string() } else { path };
                Error::Invalid(vec![FieldError::new(field, inner.to_string())])
            }
            _ => Error::bad_request("body", format!("malformed JSON: {inner}")),
        }
    })
}
