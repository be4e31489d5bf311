//! Request bodies, one way: a body type implements [`Validate`], a handler takes [`Valid<T>`], and
//! what reaches a message is the checked value. Every failure is problem+json naming the field:
//!
//! - a content type other than JSON is 415, a body over the configured limit 413;
//! - a body that is not valid JSON is 400, whatever else is wrong with it;
//! - a body that is not an object, a value of the wrong type, or a field the body does not have is
//!   422 naming the field (`createDeal.nmae`), except the record's read-only fields
//!   ([`Validate::READ_ONLY`]: `id`, `createdAt`, …) which a client may send back from what it read:
//!   they are dropped, whatever their value;
//! - then the body's own rules run ([`Validate::validate`]), collecting every field's error.
//!
//! The checked value comes wrapped in [`Checked`], which only this module makes: a message that
//! holds a `Checked<T>` cannot be sent a value that skipped its rules.

use actix_web::dev::Payload;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::ops::Deref;

use crate::error::{Error, FieldError};

/// Fields every stored record answers with and no write may set.
pub const RECORD_READ_ONLY: &[&str] = &["id", "createdAt", "updatedAt", "createdBy", "modifiedBy"];

/// What a body's rules may know of the request they check.
pub struct Intent<'a> {
    creating: bool,
    req: Option<&'a HttpRequest>,
}

impl<'a> Intent<'a> {
    /// The intent of an HTTP request: `POST` creates, `PATCH` and `PUT` change.
    pub fn of(req: &'a HttpRequest) -> Self {
        Self { creating: req.method() == Method::POST, req: Some(req) }
    }

    /// The intent of a write that does not come over HTTP (the CLI).
    pub fn outside_http(creating: bool) -> Self {
        Self { creating, req: None }
    }

    /// Whether the request creates a record.
    pub fn creating(&self) -> bool {
        self.creating
    }

    /// A path parameter of the request (`{catalog}`).
    pub fn path(&self, name: &str) -> Option<&str> {
        self.req?.match_info().get(name)
    }
}

/// A request body's rules.
pub trait Validate: DeserializeOwned + 'static {
    /// The checked value handlers and messages receive.
    type Valid;
    /// Top-level fields a client may send back from the record it read although no write sets
    /// them: dropped before parsing. Any other field the body does not have is 422.
    const READ_ONLY: &'static [&'static str] = &[];

    /// Trims and checks every field, collecting all errors (422 naming each).
    fn validate(self, intent: &Intent) -> Result<Self::Valid, Error>;
}

/// A value that passed its body's [`Validate`] rules; made only by [`Valid`], [`parse`] and
/// [`check`].
#[derive(Debug, Clone)]
pub struct Checked<T>(T);

impl<T> Checked<T> {
    /// The checked value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Checked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Runs `body`'s rules on a body that did not come over HTTP (the CLI, a nested body).
pub fn check<T: Validate>(body: T, intent: &Intent) -> Result<Checked<T::Valid>, Error> {
    body.validate(intent).map(Checked)
}

/// A JSON body that parsed and passed its [`Validate`] rules.
#[derive(Debug)]
pub struct Valid<T: Validate>(pub Checked<T::Valid>);

impl<T: Validate> FromRequest for Valid<T> {
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
            parse::<T>(&req, &body).map(Valid)
        })
    }
}

/// A field's name as errors give it: `createDeal.name`, `lines.0.quantity`.
fn field_name(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => join(field_name(parent), &index.to_string()),
        Path::Map { parent, key } => join(field_name(parent), key),
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => field_name(parent),
    }
}

fn join(parent: String, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// Parses and checks a body already read into memory, with the same errors as [`Valid`].
pub fn parse<T: Validate>(req: &HttpRequest, body: &[u8]) -> Result<Checked<T::Valid>, Error> {
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
    // Syntax first, so that a malformed body is 400 even when its first field is unknown.
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Error::bad_request("body", format!("malformed JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        // Derived struct deserializers would also accept an array of the fields in order.
        return Err(Error::invalid("body", "must be a JSON object"));
    };
    for field in T::READ_ONLY {
        object.remove(*field);
    }
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path| unknown.push(field_name(&path));
    let typed = serde_ignored::Deserializer::new(Value::Object(object), &mut note);
    let raw: T = serde_path_to_error::deserialize(typed).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { "body".to_string() } else { path };
        Error::Invalid(vec![FieldError::new(field, err.into_inner().to_string())])
    })?;
    if !unknown.is_empty() {
        let errors = unknown.into_iter().map(|field| FieldError::new(field, "is not a field of this request"));
        return Err(Error::Invalid(errors.collect()));
    }
    check(raw, &Intent::of(req))
}
