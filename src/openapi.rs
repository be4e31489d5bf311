//! The OpenAPI 3.1 document, generated from the route annotations, and the embedded UI.

use actix_web::web;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::{accounts, admin, audit, crm, desk, health, records};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(title = "gateway", description = "Actor-model service mesh for CRM and service-desk work"),
    paths(
        accounts::routes::register,
        accounts::routes::login,
        accounts::routes::refresh,
        accounts::routes::logout,
        accounts::routes::list_sessions,
        accounts::routes::end_session,
        accounts::routes::validate,
        accounts::routes::me,
        accounts::routes::update_me,
        accounts::routes::list_users,
        accounts::routes::get_user,
        accounts::routes::update_user,
        accounts::routes::delete_user,
        crm::users::routes::list_users,
        crm::users::routes::get_user,
        crm::users::routes::assign_user,
        crm::access_admin::routes::list_profiles,
        crm::access_admin::routes::create_profile,
        crm::access_admin::routes::get_profile,
        crm::access_admin::routes::update_profile,
        crm::access_admin::routes::delete_profile,
        crm::access_admin::routes::list_roles,
        crm::access_admin::routes::role_tree,
        crm::access_admin::routes::create_role,
        crm::access_admin::routes::get_role,
        crm::access_admin::routes::update_role,
        crm::access_admin::routes::delete_role,
        crm::records::routes::deal_pipeline,
        crm::records::routes::convert_lead,
        desk::tickets::routes::add_comment,
        desk::tickets::routes::list_comments,
        desk::tickets::routes::list_activity,
        desk::orders::routes::convert_estimate,
        desk::catalog::routes::list_catalog,
        desk::catalog::routes::create_catalog_item,
        desk::catalog::routes::get_catalog_item,
        desk::catalog::routes::update_catalog_item,
        desk::catalog::routes::delete_catalog_item,
        admin::routes::actors_snapshot,
        admin::routes::nodes,
        admin::routes::inject_fault,
        audit::routes::audit_entries,
        health::live,
        health::ready,
    ),
    modifiers(&BearerAuth, &RecordPaths)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The shared routes of every record module, described from its `RecordKind`.
struct RecordPaths;

impl Modify for RecordPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        records::docs::add::<crm::records::contacts::Contacts>(openapi);
        records::docs::add::<crm::records::accounts::Accounts>(openapi);
        records::docs::add::<crm::records::leads::Leads>(openapi);
        records::docs::add::<crm::records::deals::Deals>(openapi);
        records::docs::add::<desk::tickets::model::Tickets>(openapi);
        records::docs::add::<desk::orders::model::WorkOrders>(openapi);
        records::docs::add::<desk::orders::model::Estimates>(openapi);
    }
}

/// `/openapi.json` and the Swagger UI at `/docs/`, its assets embedded in the binary; `/docs`
/// (which the UI's `/docs/{…}` pattern does not match) redirects there with 308.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::redirect("/docs", "/docs/").permanent())
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", ApiDoc::openapi()));
}
