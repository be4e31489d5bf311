//! The node's one error type and how it is shown to clients.
//!
//! Error policy:
//! - Domain code returns `Result<T, Error>`; diesel and pool errors convert through `From`
//!   so `?` works everywhere, and anything unexpected becomes [`Error::Internal`].
//! - At the HTTP edge every error becomes `application/problem+json` (RFC 9457) with `type`,
//!   `title`, `status`, `detail`, and for validation an `errors` list naming each field.
//! - Client mistakes are 4xx with a detail that says what to fix. Internal errors are logged
//!   with their cause and answered with a generic 500 detail: no internals leak.
//! - A database that cannot be reached is a 503, not a 500.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name as the client sent it (camelCase; nested paths joined with `.`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// A field error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request is malformed (bad JSON, bad path parameter).
    #[error("{detail}")]
    BadRequest { detail: String, errors: Vec<FieldError> },
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or one the caller may not see).
    #[error("{0}")]
    NotFound(String),
    /// 409: the request conflicts with existing data; `field` names the conflicting field.
    #[error("{detail}")]
    Conflict { detail: String, field: Option<String> },
    /// 413: the body is larger than the configured limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: fields with invalid values.
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    /// 429: too many attempts; retry after the given seconds.
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// 503: a dependency (the database) is unavailable.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure; the message is logged, never shown.
    #[error("{0}")]
    Internal(String),
}

/// The problem+json body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; clients match on it.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// Invalid fields, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Error {
    /// A 422 for a single field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    /// A 400 naming one field.
    pub fn bad_request(field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Self::BadRequest { errors: vec![FieldError::new(field, detail.clone())], detail }
    }

    /// A 409 naming the conflicting field.
    pub fn conflict(field: &str, detail: impl Into<String>) -> Self {
        Self::Conflict { detail: detail.into(), field: Some(field.into()) }
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad-request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not-found",
            Self::Conflict { .. } => "conflict",
            Self::PayloadTooLarge(_) => "payload-too-large",
            Self::UnsupportedMediaType(_) => "unsupported-media-type",
            Self::Invalid(_) => "validation",
            Self::RateLimited { .. } => "rate-limited",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The body clients see.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (detail, errors) = match self {
            Self::Invalid(errors) => (
                format!("invalid value for {}", errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", ")),
                errors.clone(),
            ),
            Self::BadRequest { detail, errors } => (detail.clone(), errors.clone()),
            Self::Conflict { detail, field: Some(field) } => {
                (detail.clone(), vec![FieldError::new(field, detail.clone())])
            }
            Self::RateLimited { retry_after_secs } => {
                (format!("too many failed attempts; retry after {retry_after_secs} s"), vec![])
            }
            Self::Internal(_) => ("an internal error occurred".into(), vec![]),
            other => (other.to_string(), vec![]),
        };
        Problem {
            kind: format!("/problems/{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "dependency unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            Self::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl actors::Outcome for Error {
    fn fault(&self) -> Option<String> {
        match self {
            Self::Internal(cause) | Self::Unavailable(cause) => Some(cause.clone()),
            _ => None,
        }
    }
}

impl From<actors::Panicked> for Error {
    fn from(panic: actors::Panicked) -> Self {
        Self::Internal(panic.0)
    }
}

impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as D};
        match error {
            D::NotFound => Self::NotFound("not found".into()),
            D::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(format!("database connection closed: {}", info.message()))
            }
            other => Self::Internal(format!("database: {other}")),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Error {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Unavailable(format!("database pool: {error}"))
    }
}

impl From<actix::MailboxError> for Error {
    fn from(error: actix::MailboxError) -> Self {
        Self::Unavailable(format!("actor mailbox: {error}"))
    }
}
