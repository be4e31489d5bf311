//! Edge concerns shared by every domain's routes: request bodies (`body`), field validation,
//! pagination, and extractor error handlers that answer problem+json.

pub mod body;
pub mod decimal;
pub mod page;
pub mod validate;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::Error;

/// Makes path, query and body-limit failures of actix's own extractors answer problem+json.
pub fn extractor_config(cfg: &mut web::ServiceConfig, body_limit: usize) {
    cfg.app_data(web::PayloadConfig::new(body_limit))
        .app_data(web::PathConfig::default().error_handler(|err, _req: &HttpRequest| {
            Error::bad_request("path", format!("invalid path parameter: {err}")).into()
        }))
        .app_data(web::QueryConfig::default().error_handler(|err, _req: &HttpRequest| {
            Error::bad_request("query", format!("invalid query string: {err}")).into()
        }));
}

/// The answer for a path no route matches.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&Error::NotFound(format!("no route for {} {}", req.method(), req.path())))
}
