//! The OpenAPI 3.1 document, generated from the route annotations, and the embedded UI.

use actix_web::web;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::{accounts, admin, crm, desk, health};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(title = "gateway", description = "Actor-model service mesh for CRM and service-desk work"),
    paths(
        accounts::routes::register,
        accounts::routes::login,
        accounts::routes::validate,
        accounts::routes::me,
        accounts::routes::update_me,
        accounts::routes::list_users,
        accounts::routes::get_user,
        accounts::routes::update_user,
        accounts::routes::delete_user,
        crm::routes::list_users,
        crm::routes::get_user,
        crm::routes::assign_user,
        crm::access_routes::list_profiles,
        crm::access_routes::create_profile,
        crm::access_routes::get_profile,
        crm::access_routes::update_profile,
        crm::access_routes::delete_profile,
        crm::access_routes::list_roles,
        crm::access_routes::role_tree,
        crm::access_routes::create_role,
        crm::access_routes::get_role,
        crm::access_routes::update_role,
        crm::access_routes::delete_role,
        crm::record_routes::deal_pipeline,
        crm::record_routes::convert_lead,
        desk::routes::list_tickets,
        desk::routes::create_ticket,
        desk::routes::get_ticket,
        desk::routes::update_ticket,
        desk::routes::delete_ticket,
        desk::routes::add_comment,
        desk::routes::list_comments,
        desk::routes::list_activity,
        desk::order_routes::work_orders::list,
        desk::order_routes::work_orders::create,
        desk::order_routes::work_orders::get_one,
        desk::order_routes::work_orders::update,
        desk::order_routes::work_orders::remove,
        desk::order_routes::estimates::list,
        desk::order_routes::estimates::create,
        desk::order_routes::estimates::get_one,
        desk::order_routes::estimates::update,
        desk::order_routes::estimates::remove,
        desk::order_routes::convert_estimate,
        desk::order_routes::list_catalog,
        desk::order_routes::create_catalog_item,
        desk::order_routes::get_catalog_item,
        desk::order_routes::update_catalog_item,
        desk::order_routes::delete_catalog_item,
        admin::routes::actors_snapshot,
        admin::routes::nodes,
        admin::routes::inject_fault,
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

/// The generic routes of the CRM record modules, described from their `RecordKind`.
struct RecordPaths;

impl Modify for RecordPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        crm::records::docs::add::<crm::contacts::Contacts>(openapi);
        crm::records::docs::add::<crm::accounts::Accounts>(openapi);
        crm::records::docs::add::<crm::leads::Leads>(openapi);
        crm::records::docs::add::<crm::deals::Deals>(openapi);
    }
}

/// `/openapi.json` and the Swagger UI at `/docs/`, its assets embedded in the binary; `/docs`
/// (which the UI's `/docs/{…}` pattern does not match) redirects there with 308.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::redirect("/docs", "/docs/").permanent())
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", ApiDoc::openapi()));
}
