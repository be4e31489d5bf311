//! Test harness: each test runs real nodes (`Application::build` on an actix `System` in its own
//! thread) against its own fresh PostgreSQL database, dropped when the node is dropped.

#![allow(dead_code)]

pub mod answers;
pub mod crm;
pub mod proxy;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use gateway::auth::Claims;
use gateway::{Application, Config};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

/// The PostgreSQL server tests use, without a database name.
pub fn server_url() -> String {
    std::env::var("GATEWAY_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// The shipped config with a fresh database, a free port, quiet logs and fault injection on.
pub fn test_config() -> Config {
    let mut config =
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml")).expect("config.toml loads");
    config.database.url = format!("{}/gateway_test_{}", server_url(), uuid::Uuid::new_v4().simple());
    config.database.pool_size = 4;
    config.server.port = 0;
    config.server.workers = 2;
    config.log.level = "warn".into();
    config.admin.fault_injection = true;
    config.hasher.threads = 2;
    config.broker.url = broker_url();
    config.broker.namespace = format!("t{}.", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    config.node.heartbeat = std::time::Duration::from_millis(200);
    config.outbox.poll_interval = std::time::Duration::from_millis(100);
    config
}

/// The RabbitMQ tests use.
pub fn broker_url() -> String {
    std::env::var("GATEWAY_TEST_BROKER_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

/// Deletes the exchanges and queues of a test namespace.
pub async fn delete_broker_names(namespace: &str) {
    use lapin::options::{ExchangeDeleteOptions, QueueDeleteOptions};
    let Ok(connection) = lapin::Connection::connect(&broker_url(), Default::default()).await else { return };
    let Ok(channel) = connection.create_channel().await else { return };
    for queue in ["crm_user_sync", "crm_user_sync.dead"] {
        let _ = channel.queue_delete(format!("{namespace}{queue}").into(), QueueDeleteOptions::default()).await;
    }
    for exchange in ["user_events", "user_events.dlx", "mesh"] {
        let _ =
            channel.exchange_delete(format!("{namespace}{exchange}").into(), ExchangeDeleteOptions::default()).await;
    }
    let _ = connection.close(200, "test done".into()).await;
}

/// A running node and its database.
pub struct TestNode {
    pub base: String,
    pub http: Client,
    pub config: Config,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    /// The first node of a test owns the database and broker names and removes them.
    owner: bool,
}

impl TestNode {
    /// A node with the test config.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A node with the test config changed by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = test_config();
        tweak(&mut config);
        Self::start(config, true).await
    }

    /// Another node sharing this node's database and broker namespace (a mesh of two).
    pub async fn join(&self, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = self.config.clone();
        config.node.id = String::new();
        tweak(&mut config);
        Self::start(config, false).await
    }

    async fn start(config: Config, owner: bool) -> Self {
        let node_config = config.clone();
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_rt::System::new().block_on(async move {
                match Application::build(node_config).await {
                    Ok(app) => {
                        tx.send(Ok((app.port(), app.server_handle()))).ok();
                        app.run_until_stopped().await.ok();
                    }
                    Err(error) => {
                        tx.send(Err(error.to_string())).ok();
                    }
                }
                actix_rt::System::current().stop();
            });
        });
        let (port, handle) = tokio::task::spawn_blocking(move || rx.recv())
            .await
            .expect("join")
            .expect("node thread answers")
            .expect("node starts");
        Self {
            base: format!("http://127.0.0.1:{port}"),
            http: Client::new(),
            config,
            handle,
            thread: Some(thread),
            owner,
        }
    }

    /// Stops this node's HTTP server (graceful) and waits for the node to close its broker link.
    pub async fn stop(mut self) {
        self.handle.stop(true).await;
        if let Some(thread) = self.thread.take() {
            tokio::task::spawn_blocking(move || thread.join()).await.ok();
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A direct connection to this node's database.
    pub async fn db(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.config.database.url).await.expect("db connects")
    }

    /// Runs a SQL statement on this node's database.
    pub async fn sql(&self, statement: &str) {
        diesel::sql_query(statement).execute(&mut self.db().await).await.expect("sql runs");
    }

    /// The `count` a SQL query (`SELECT count(*) AS count …`) answers on this node's database.
    pub async fn count(&self, query: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            count: i64,
        }
        let row: Count = diesel::sql_query(query).get_result(&mut self.db().await).await.expect("count runs");
        row.count
    }

    /// Number of rows in accounts.users.
    pub async fn user_count(&self) -> i64 {
        use diesel::dsl::count_star;
        use diesel::QueryDsl;
        gateway::schema::accounts::users::table
            .select(count_star())
            .get_result(&mut self.db().await)
            .await
            .expect("count")
    }

    /// Sends a request with an optional JSON body and Bearer token.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>, token: Option<&str>) -> Response {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// POSTs JSON.
    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(Method::POST, path, Some(body), token).await
    }

    /// PATCHes JSON.
    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(Method::PATCH, path, Some(body), token).await
    }

    /// GETs with an optional token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::GET, path, None, token).await
    }

    /// GETs a 200 JSON answer.
    pub async fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    /// DELETEs with an optional token.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::DELETE, path, None, token).await
    }

    /// Registers a user with a valid body built from `tag`; returns the user JSON.
    pub async fn register(&self, tag: &str) -> Value {
        let response = self.post("/accounts/register", &registration(tag), None).await;
        assert_eq!(response.status(), StatusCode::CREATED, "register {tag}");
        response.json().await.expect("json")
    }

    /// Logs in a user registered with `tag`; returns the access token.
    pub async fn login(&self, tag: &str) -> String {
        let response = self.post("/accounts/login", &json!({"email": email(tag), "password": PASSWORD}), None).await;
        assert_eq!(response.status(), StatusCode::OK, "login {tag}");
        let body: Value = response.json().await.expect("json");
        body["accessToken"].as_str().expect("token").to_string()
    }

    /// Registers `tag`, makes them a platform administrator and returns their token.
    pub async fn admin(&self, tag: &str) -> String {
        let user = self.register(tag).await;
        self.sql(&format!("UPDATE accounts.users SET is_admin = true WHERE id = '{}'", user["id"].as_str().unwrap()))
            .await;
        self.login(tag).await
    }

    /// The claims of a token this node issued.
    pub fn claims(&self, token: &str) -> Claims {
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.validate_exp = false;
        let key = jsonwebtoken::DecodingKey::from_secret(self.config.jwt.secret.as_bytes());
        jsonwebtoken::decode::<Claims>(token, &key, &validation).expect("a token of this node").claims
    }

    /// `token` (issued by this node) signed again with other times: same user, session and
    /// credential version.
    pub fn mint(&self, token: &str, iat: i64, exp: i64) -> String {
        mint_with(&self.config.jwt.secret, &Claims { iat, exp, ..self.claims(token) })
    }
}

/// A token of `claims` signed with `secret`.
pub fn mint_with(secret: &str, claims: &Claims) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

impl Drop for TestNode {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let url = self.config.database.url.clone();
        let namespace = self.config.broker.namespace.clone();
        let owner = self.owner;
        let thread = self.thread.take();
        // Dropping happens inside a tokio runtime: do the blocking work on a plain thread.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                handle.stop(false).await;
                if !owner {
                    return;
                }
                delete_broker_names(&namespace).await;
                let name = url.rsplit('/').next().unwrap_or_default().to_string();
                let mut admin =
                    AsyncPgConnection::establish(&format!("{}/postgres", server_url())).await.expect("connect");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .expect("drop test database");
            });
            if let Some(thread) = thread {
                thread.join().ok();
            }
        })
        .join()
        .ok();
    }
}

/// The password every test user has.
pub const PASSWORD: &str = "Quiet-Harbor-42";

/// The email of the test user `tag`.
pub fn email(tag: &str) -> String {
    format!("{tag}@example.com")
}

/// A valid registration body for `tag`.
pub fn registration(tag: &str) -> Value {
    json!({
        "workId": format!("W-{tag}"),
        "name": format!("User {tag}"),
        "email": email(tag),
        "workLocation": "Lisbon",
        "password": PASSWORD,
    })
}

/// Polls `check` every 20 ms until it returns `Some`, or panics after `seconds`.
pub async fn eventually<T, F, Fut>(seconds: f64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "timed out after {seconds} s waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
