//! HTTP routes of the accounts domain (the NestJS system's paths and fields).

use actix::Addr;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use std::sync::Arc;
use uuid::Uuid;

use super::actor::AccountsActor;
use super::input::*;
use super::messages::*;
use super::sessions::Origin;
use super::views::{LoginView, SessionView, Tokens, UpdatedMe, UserPage, UserView};
use crate::audit::Trail;
use crate::auth::caller::{bearer_token, Me};
use crate::auth::{Admin, Caller, Callers};
use crate::error::{Error, Problem};
use crate::http::body::{self, Valid};
use crate::http::page::{ListQuery, PageRequest};

type Accounts = web::Data<Addr<AccountsActor>>;

/// Mounts the accounts routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(list_sessions)
        .service(end_session)
        .service(validate)
        .service(me)
        .service(update_me)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(delete_user);
}

/// Registers a user.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered", body = UserView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email or workId taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/register")]
async fn register(accounts: Accounts, body: Valid<RegisterRequest>) -> Result<HttpResponse, Error> {
    let account = body.0;
    let user = accounts.send(Register(account)).await??;
    Ok(HttpResponse::Created().json(UserView::from(user)))
}

/// Signs in: opens a session and answers its access token (short-lived, `jwt.ttl`) and refresh
/// token (`sessions.refresh_ttl`, sliding).
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in: `{accessToken, refreshToken, expiresIn, user}`", body = LoginView),
        (status = 401, description = "Invalid email or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/login")]
async fn login(
    accounts: Accounts,
    req: HttpRequest,
    trail: Trail,
    body: Valid<LoginRequest>,
) -> Result<HttpResponse, Error> {
    let credentials = body.0;
    let user_agent = req.headers().get(actix_web::http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    let origin = Origin {
        user_agent: user_agent.map(|agent| agent.chars().take(300).collect()),
        address: req.peer_addr().map(|a| a.ip().to_string()),
    };
    let (tokens, user) = accounts.send(Login { credentials, origin, trail }).await??;
    Ok(HttpResponse::Ok().json(LoginView::new(tokens, user)))
}

/// Exchanges a refresh token for a new access token and a new refresh token (rotation). A refresh
/// token works once: presenting one again ends its whole session.
#[utoipa::path(
    tag = "accounts",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens of the same session", body = Tokens),
        (status = 401, description = "Unknown, expired or already used refresh token (a reused one ends its session)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing refreshToken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/refresh")]
async fn refresh(accounts: Accounts, trail: Trail, body: Valid<RefreshRequest>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(accounts.send(Refresh { refresh_token: body.0, trail }).await??))
}

/// Ends the caller's session: its access and refresh tokens stop working on every node.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/logout")]
async fn logout(accounts: Accounts, Caller(user): Caller, trail: Trail) -> Result<HttpResponse, Error> {
    let trail = trail.by(user.id);
    accounts.send(Logout { user, trail }).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's live sessions, most recently used first; `current` marks the asking one.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The sessions", body = Vec<SessionView>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/sessions")]
async fn list_sessions(accounts: Accounts, Caller(user): Caller) -> Result<HttpResponse, Error> {
    let current = user.session;
    let sessions = accounts.send(ListSessions { user }).await??;
    let views: Vec<SessionView> =
        sessions.into_iter().map(|session| SessionView { current: session.id == current, session }).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Ends one of the caller's sessions (another device), on every node at once.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live session of yours with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/accounts/sessions/{id}")]
async fn end_session(
    accounts: Accounts,
    Caller(user): Caller,
    trail: Trail,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    let trail = trail.by(user.id);
    accounts.send(EndSession { user, id: id.into_inner(), trail }).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Validates a token (in the body or the Bearer header) and returns its user.
#[utoipa::path(
    tag = "accounts",
    request_body(content = Option<ValidateRequest>, description = "Optional when a Bearer header is sent"),
    responses(
        (status = 200, description = "The token's user", body = UserView),
        (status = 401, description = "Invalid, expired or revoked token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/validate")]
async fn validate(callers: web::Data<Arc<Callers>>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, Error> {
    let in_body = if body.is_empty() { None } else { body::parse::<ValidateRequest>(&req, &body)?.into_inner() };
    let token = in_body.or_else(|| bearer_token(&req).map(str::to_string));
    let token = token.ok_or_else(|| Error::Unauthorized("no token in the body or the Bearer header".into()))?;
    let signed = callers.resolve(&token).await?;
    Ok(HttpResponse::Ok().json(UserView::from(&*signed.account)))
}

/// The signed-in user.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = UserView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/me")]
async fn me(Me(signed): Me) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(UserView::from(&*signed.account)))
}

/// Updates the signed-in user's profile or password.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "Updated; after a password change also new `accessToken`, `refreshToken` and `expiresIn` for this session (every other session ended)", body = UpdatedMe),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or wrong current password", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/accounts/me")]
async fn update_me(
    accounts: Accounts,
    Caller(user): Caller,
    trail: Trail,
    body: Valid<UpdateMeRequest>,
) -> Result<HttpResponse, Error> {
    let (update, trail) = (body.0, trail.by(user.id));
    let (user, tokens) = accounts.send(UpdateMe { user, update, trail }).await??;
    Ok(HttpResponse::Ok().json(UpdatedMe { user: UserView::from(user), tokens }))
}

/// Lists users (platform administrators).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of users", body = UserPage),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid page, limit or search", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/users")]
async fn list_users(accounts: Accounts, _: Admin, query: web::Query<ListQuery>) -> Result<HttpResponse, Error> {
    let page = PageRequest::try_from(query.into_inner())?;
    let users = accounts.send(ListUsers { page }).await??;
    Ok(HttpResponse::Ok().json(users.map(UserView::from)))
}

/// Reads a user (platform administrators).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/users/{id}")]
async fn get_user(accounts: Accounts, _: Admin, id: web::Path<Uuid>) -> Result<HttpResponse, Error> {
    let user = accounts.send(GetUser { id: id.into_inner() }).await??;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

/// Updates a user (platform administrators).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "Updated", body = UserView),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email or workId taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/accounts/users/{id}")]
async fn update_user(
    accounts: Accounts,
    Admin(admin): Admin,
    trail: Trail,
    id: web::Path<Uuid>,
    body: Valid<UpdateUserRequest>,
) -> Result<HttpResponse, Error> {
    let (update, trail) = (body.0, trail.by(admin.id));
    let user = accounts.send(UpdateUser { id: id.into_inner(), update, trail }).await??;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

/// Deletes a user (platform administrators).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/accounts/users/{id}")]
async fn delete_user(
    accounts: Accounts,
    Admin(admin): Admin,
    trail: Trail,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    let trail = trail.by(admin.id);
    accounts.send(DeleteUser { id: id.into_inner(), trail }).await??;
    Ok(HttpResponse::NoContent().finish())
}
