//! The node as a whole: health, API document, request ids, actor inspection, supervision,
//! and the CLI.

mod common;

use common::answers::{answer, read};
use common::{server_url, TestNode};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

fn actor<'a>(snapshot: &'a Value, name: &str) -> &'a Value {
    snapshot["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {snapshot}"))
}

#[tokio::test]
async fn health_reports_liveness_and_database_and_broker_readiness() {
    let node = TestNode::spawn().await;
    assert_eq!(node.get("/health/live", None).await.status(), StatusCode::OK);
    let ready = common::eventually(5.0, "the broker link", || async {
        let ready = node.get_json("/health/ready", None).await;
        (ready["broker"] == "connected").then_some(ready)
    })
    .await;
    assert_eq!(ready["database"], "up");
    assert_eq!(ready["status"], "ready");
}

#[tokio::test]
async fn an_unreachable_database_is_unavailable_not_an_internal_error() {
    let mut config = common::test_config();
    config.database.url = "postgres://postgres@127.0.0.1:1/nothing".into();
    config.database.acquire_timeout = std::time::Duration::from_millis(300);
    let pool = gateway::db::pool(&config.database).unwrap();
    let result = gateway::db::ping(&pool).await;
    assert!(matches!(result, Err(gateway::error::Error::Unavailable(_))), "{result:?}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let node = TestNode::spawn().await;
    let generated = node.get("/health/live", None).await;
    assert_eq!(generated.headers()["x-request-id"].len(), 36);
    let echoed = node.http.get(node.url("/health/live")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
    let failed = node.get("/no/such/route", None).await;
    assert!(failed.headers().contains_key("x-request-id"));
    read(failed, StatusCode::NOT_FOUND, "the failed request").await;
}

/// Routes the API document must describe, as (path, method).
const ROUTES: [(&str, &str); 31] = [
    ("/accounts/register", "post"),
    ("/accounts/login", "post"),
    ("/accounts/validate", "post"),
    ("/accounts/me", "get"),
    ("/accounts/me", "patch"),
    ("/accounts/users", "get"),
    ("/accounts/users/{id}", "get"),
    ("/accounts/users/{id}", "patch"),
    ("/accounts/users/{id}", "delete"),
    ("/admin/actors", "get"),
    ("/admin/nodes", "get"),
    ("/crm/users", "get"),
    ("/crm/users/{id}", "get"),
    ("/admin/actors/{name}/fault", "post"),
    ("/crm/profiles", "post"),
    ("/crm/roles/tree", "get"),
    ("/crm/contacts", "get"),
    ("/crm/contacts", "post"),
    ("/crm/accounts/{id}", "get"),
    ("/crm/accounts/{id}", "delete"),
    ("/crm/leads/{id}", "patch"),
    ("/crm/leads/{id}/convert", "post"),
    ("/crm/deals/bulk-update", "post"),
    ("/crm/deals/bulk-delete", "post"),
    ("/crm/deals/pipeline", "get"),
    ("/desk/tickets", "post"),
    ("/desk/tickets/{id}", "patch"),
    ("/desk/tickets/{id}/comments", "post"),
    ("/desk/tickets/{id}/activity", "get"),
    ("/health/live", "get"),
    ("/health/ready", "get"),
];

/// The API document a node serves at `/openapi.json`.
async fn openapi() -> Value {
    TestNode::spawn().await.get_json("/openapi.json", None).await
}

/// GETs `path` without a token, expecting 200; answers the body as text.
async fn text(node: &TestNode, path: &str) -> String {
    let response = node.get(path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_gives_each_listed_route_a_success_and_an_error_response() {
    let doc = openapi().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in ROUTES {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} missing");
        let statuses: Vec<u16> =
            operation["responses"].as_object().unwrap().keys().map(|k| k.parse().unwrap()).collect();
        assert!(statuses.iter().any(|s| *s < 300), "{method} {path}: no success response");
        if !path.starts_with("/health") {
            assert!(statuses.iter().any(|s| *s >= 400), "{method} {path}: no error response");
        }
    }
}

#[tokio::test]
async fn every_schema_the_openapi_document_refers_to_is_in_it() {
    let doc = openapi().await;
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "schema {name} referred to but missing");
    }
}

#[tokio::test]
async fn the_api_docs_are_served_at_docs_with_their_assets_embedded() {
    let node = TestNode::spawn().await;
    assert!(text(&node, "/docs/").await.contains("swagger-ui"));
    assert!(text(&node, "/docs/swagger-ui-bundle.js").await.len() > 100_000, "assets are embedded");
}

#[tokio::test]
async fn docs_without_the_slash_redirects_permanently_to_the_api_docs() {
    let node = TestNode::spawn().await;
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let bare = no_redirects.get(node.url("/docs")).send().await.unwrap();
    assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.headers()["location"], "/docs/");
    // The harness's client follows redirects.
    let followed = node.get("/docs", None).await;
    assert_eq!((followed.status(), followed.url().path()), (StatusCode::OK, "/docs/"));
    assert!(followed.text().await.unwrap().contains("swagger-ui"));
}

#[tokio::test]
async fn admin_actors_lists_every_actor_with_counters() {
    let node = TestNode::spawn().await;
    let admin = node.admin("ops").await;
    let snapshot = node.get_json("/admin/actors", Some(&admin)).await;
    assert!(snapshot["nodeId"].is_string());
    assert!(snapshot["uptimeSeconds"].is_u64());
    let users = actor(&snapshot, "accounts.users");
    assert_eq!(users["system"], "accounts");
    assert_eq!(users["supervisor"], "accounts.supervisor");
    assert_eq!(users["state"], "running");
    // The caller is resolved at the edge: reading the snapshot sends accounts no message.
    assert_eq!(users["received"], 2, "register and login: {users}");
    for key in ["handled", "failed", "inFlight", "restarts", "meanHandlingMicros", "maxHandlingMicros"] {
        assert!(users[key].is_u64(), "{key} in {users}");
    }
    let hashers: Vec<&Value> =
        snapshot["actors"].as_array().unwrap().iter().filter(|a| a["kind"] == "sync-pool").collect();
    assert_eq!(hashers.len(), 2, "one hasher per configured thread");
    let hashed: u64 = hashers.iter().map(|h| h["handled"].as_u64().unwrap()).sum();
    assert!(hashed >= 2, "a hash and a verify: {hashers:?}");

    node.login("ops").await;
    let again = node.get_json("/admin/actors", Some(&admin)).await;
    assert_eq!(actor(&again, "accounts.users")["received"], 3, "counters are monotonic");
}

#[tokio::test]
async fn a_panicking_handler_is_restarted_by_its_supervisor_and_counted() {
    let node = TestNode::spawn().await;
    let admin = node.admin("chaos").await;
    let response = node.post("/admin/actors/accounts.users/fault", &Value::Null, Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let outcome: Value = response.json().await.unwrap();
    assert!(outcome["detail"].as_str().unwrap().contains("injected fault"), "{outcome}");

    // The node keeps serving through the same actor address.
    node.register("after").await;
    node.login("after").await;
    let snapshot = node.get_json("/admin/actors", Some(&admin)).await;
    let users = actor(&snapshot, "accounts.users");
    assert_eq!(users["restarts"], 1, "{users}");
    assert_eq!(users["failed"], 1, "{users}");
    assert_eq!(users["state"], "running");
    assert!(users["lastError"].as_str().unwrap().contains("injected fault"));
    answer!(node.post("/admin/actors/nobody/fault", &Value::Null, Some(&admin)), NOT_FOUND);
}

#[tokio::test]
async fn fault_injection_is_off_unless_configured() {
    let node = TestNode::spawn_with(|c| c.admin.fault_injection = false).await;
    let admin = node.admin("careful").await;
    answer!(node.post("/admin/actors/accounts.users/fault", &Value::Null, Some(&admin)), NOT_FOUND);
}

fn gateway(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gateway"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).args(args).env("GATEWAY__LOG__LEVEL", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("gateway runs")
}

#[tokio::test]
async fn admin_create_makes_a_platform_administrator_from_the_cli() {
    let node = TestNode::spawn().await;
    let args = [
        "admin",
        "create",
        "--email",
        "Root@Example.com",
        "--name",
        "Root",
        "--work-id",
        "R-1",
        "--work-location",
        "HQ",
    ];
    let create = |password: &'static str| {
        let url = node.config.database.url.clone();
        tokio::task::spawn_blocking(move || {
            gateway(&args, &[("GATEWAY__DATABASE__URL", url.as_str()), ("GATEWAY_ADMIN_PASSWORD", password)])
        })
    };
    let output = create("Bench-Admin-Harbor-1").await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let login = serde_json::json!({"email": "root@example.com", "password": "Bench-Admin-Harbor-1"});
    let body: Value = node.post("/accounts/login", &login, None).await.json().await.unwrap();
    let token = body["accessToken"].as_str().unwrap();
    assert_eq!(node.get("/admin/actors", Some(token)).await.status(), StatusCode::OK);
    common::eventually(3.0, "the CLI's user.created in the CRM", || async {
        let users = node.get_json("/crm/users?search=root@example.com", Some(token)).await;
        (users["total"] == 1).then_some(())
    })
    .await;

    let weak = create("weak").await.unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
}

#[tokio::test]
async fn start_up_refuses_unsafe_or_invalid_settings_naming_them() {
    let database = format!("{}/unused", server_url());
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("GATEWAY__JWT__SECRET", "too-short")], "jwt.secret"),
        (&[("GATEWAY__SERVER__HOST", "0.0.0.0")], "jwt.secret"),
        (&[("GATEWAY__SERVER__PORT", "not-a-port")], "server.port"),
        (&[("GATEWAY__DATABASE__URL", "mysql://x")], "database.url"),
        // A file that is named must exist, unlike the optional default `config.toml`.
        (&[("GATEWAY_CONFIG", "no/such/node.toml")], "no/such/node.toml"),
    ];
    for (env, key) in cases {
        let mut env = env.to_vec();
        if !env.iter().any(|(k, _)| *k == "GATEWAY__DATABASE__URL") {
            env.push(("GATEWAY__DATABASE__URL", &database));
        }
        let output = gateway(&["serve"], &env);
        assert_eq!(output.status.code(), Some(2), "{env:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(key), "{key} not named in {stderr}");
    }
}

/// A `gateway serve` process run outside the repository, on a database of its own. Dropping it
/// kills the process if it still runs, drops the database and removes the directory.
struct Outsider {
    child: Option<Child>,
    database: String,
    dir: PathBuf,
    /// The node's base URL.
    base: String,
}

impl Outsider {
    /// Starts `gateway serve` in a new, empty temporary directory with only its database, its
    /// port and an empty broker URL in its environment.
    fn start() -> Self {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("gateway-outside-{tag}"));
        std::fs::create_dir(&dir).expect("temporary directory");
        assert!(!dir.join("config.toml").exists());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let mut node = Outsider { child: None, database: format!("gateway_test_{tag}"), dir: dir.clone(), base };
        let child = Command::new(env!("CARGO_BIN_EXE_gateway"))
            .arg("serve")
            .current_dir(&dir)
            // Only what the test names: no inherited GATEWAY_CONFIG or GATEWAY__ overrides.
            .env_clear()
            .env("GATEWAY__DATABASE__URL", format!("{}/{}", server_url(), node.database))
            .env("GATEWAY__SERVER__PORT", port.to_string())
            .env("GATEWAY__BROKER__URL", "")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gateway starts");
        node.child = Some(child);
        node
    }

    /// Waits up to 60 s for the node to answer `/health/ready`, which must be 200; answers the body.
    async fn ready(&mut self) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            if let Ok(response) = reqwest::get(format!("{}/health/ready", self.base)).await {
                assert_eq!(response.status(), StatusCode::OK);
                return response.json().await.unwrap();
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                let output = self.child.take().unwrap().wait_with_output().unwrap();
                panic!(
                    "the node exited with {status} before answering: {}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            assert!(std::time::Instant::now() < deadline, "the node did not answer within 60 s");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Sends the node SIGTERM and waits for it to exit; answers its output.
    async fn terminate(&mut self) -> std::process::Output {
        let child = self.child.take().unwrap();
        // SAFETY: kill takes plain integers; the pid is our own child's.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap()
    }
}

impl Drop for Outsider {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        let database = self.database.clone();
        // Dropping happens inside a tokio runtime: do the blocking work on a plain thread.
        std::thread::spawn(move || {
            use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let mut admin =
                    AsyncPgConnection::establish(&format!("{}/postgres", server_url())).await.expect("connect");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .expect("drop test database");
            });
        })
        .join()
        .ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_started_outside_the_repository_serves_on_its_embedded_defaults() {
    let mut node = Outsider::start();
    let ready = node.ready().await;
    assert_eq!(ready["database"], "up", "{ready}");
    assert_eq!(ready["broker"], "inProcess", "{ready}");
    let live = reqwest::get(format!("{}/health/live", node.base)).await.unwrap();
    assert_eq!(live.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_logs_the_configuration_sources_without_values_and_stops_cleanly_on_sigterm() {
    let mut node = Outsider::start();
    node.ready().await;
    let output = node.terminate().await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}: {stdout}{}", output.status, String::from_utf8_lossy(&output.stderr));
    let loaded = stdout.lines().find(|l| l.contains("configuration loaded")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(loaded.contains("embedded defaults, environment GATEWAY__BROKER__URL"), "{loaded}");
    assert!(!loaded.contains("file"), "no file was read: {loaded}");
    assert!(!loaded.contains("postgres://"), "values are not logged: {loaded}");
    assert!(stdout.contains("listening"), "{stdout}");
}

#[derive(Debug, diesel::QueryableByName)]
struct SearchIndex {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::Text>>)]
    options: Option<Vec<String>>,
}

#[tokio::test]
async fn trigram_search_indexes_skip_the_gin_pending_list() {
    use diesel_async::RunQueryDsl;
    let node = TestNode::spawn().await;
    let indexes: Vec<SearchIndex> = diesel::sql_query(
        "SELECT i.indexrelid::regclass::text AS name, c.reloptions AS options
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE EXISTS (SELECT 1 FROM pg_opclass o WHERE o.oid = ANY (i.indclass::oid[]) AND o.opcname = 'gin_trgm_ops')
         ORDER BY 1",
    )
    .load(&mut node.db().await)
    .await
    .expect("catalog query");
    let names: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
    for expected in [
        "accounts.users_search_idx",
        "crm.crm_users_search_idx",
        "crm.contacts_search_idx",
        "crm.accounts_search_idx",
        "crm.leads_search_idx",
        "crm.deals_search_idx",
        "desk.tickets_search_idx",
        "desk.work_orders_search_idx",
        "desk.estimates_search_idx",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    // A pending list makes searches after a burst of writes scan it and the planner cost it
    // (docs/BENCHMARKS.md); every trigram index, including any added later, writes through.
    for index in &indexes {
        let options = index.options.as_deref().unwrap_or_default();
        assert!(options.iter().any(|o| o == "fastupdate=off"), "{} has options {options:?}", index.name);
    }
}
