//! User lifecycle events across nodes: outbox, relay, RabbitMQ bridge, in-process bus and the
//! CRM user directory, against real PostgreSQL and RabbitMQ.

mod common;

use common::proxy::BrokerProxy;
use common::{eventually, registration, TestNode};
use diesel_async::RunQueryDsl;
use lapin::options::{BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The CRM's view of user `id` on `node`, if it has one.
async fn crm_user(node: &TestNode, token: &str, id: &str) -> Option<Value> {
    let response = node.get(&format!("/crm/users/{id}"), Some(token)).await;
    (response.status() == StatusCode::OK).then_some(response.json().await.unwrap())
}

/// Registers, updates and deletes a user on `a`; each change must show on `b`'s CRM directory.
async fn lifecycle_propagates(a: &TestNode, b: &TestNode) {
    let admin = a.admin("boss").await;
    let user = a.register("mover").await;
    let id = user["id"].as_str().unwrap().to_string();
    let synced = eventually(2.0, "user.created on the other node", || crm_user(b, &admin, &id)).await;
    assert_eq!(synced["email"], "mover@example.com");
    assert_eq!(synced["workId"], "W-mover");
    assert_eq!(synced["roleId"], Value::Null);
    assert!(synced.get("passwordHash").is_none());

    let token = a.login("mover").await;
    assert_eq!(a.patch("/accounts/me", &json!({"name": "Moved"}), Some(&token)).await.status(), StatusCode::OK);
    eventually(2.0, "user.updated on the other node", || async {
        crm_user(b, &admin, &id).await.filter(|u| u["name"] == "Moved")
    })
    .await;

    assert_eq!(a.delete(&format!("/accounts/users/{id}"), Some(&admin)).await.status(), StatusCode::NO_CONTENT);
    eventually(2.0, "user.deleted on the other node", || async {
        crm_user(b, &admin, &id).await.is_none().then_some(())
    })
    .await;
    let listed = b.get_json("/crm/users?search=mover", Some(&admin)).await;
    assert_eq!(listed["total"], 0, "a deleted user leaves the listing");
    let kept: i64 = count(a, "SELECT count(*) AS n FROM crm.users WHERE deleted_at IS NOT NULL").await;
    assert_eq!(kept, 1, "the CRM keeps a soft-deleted copy");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(node: &TestNode, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(&mut node.db().await).await.expect("count").n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_changes_on_one_node_reach_the_crm_of_another_through_rabbitmq() {
    let a = TestNode::spawn().await;
    let b = a.join(|_| {}).await;
    lifecycle_propagates(&a, &b).await;
    let pending = count(&a, "SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL").await;
    assert_eq!(pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_node_without_a_broker_syncs_through_the_in_process_bus() {
    let node = TestNode::spawn_with(|c| c.broker.url = String::new()).await;
    lifecycle_propagates(&node, &node).await;
    let ready = node.get_json("/health/ready", None).await;
    assert_eq!(ready["broker"], "inProcess");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_see_each_other_in_the_mesh() {
    let a = TestNode::spawn().await;
    let b = a.join(|c| c.node.id = "second-node".into()).await;
    let admin = a.admin("ops").await;
    let nodes = eventually(3.0, "both nodes listed", || async {
        let nodes = b.get_json("/admin/nodes", Some(&admin)).await;
        (nodes.as_array().unwrap().len() == 2).then_some(nodes)
    })
    .await;
    let second = nodes.as_array().unwrap().iter().find(|n| n["nodeId"] == "second-node").expect("second-node listed");
    assert_eq!(second["thisNode"], true);
    assert!(second["lastHeartbeat"].is_string() && second["uptimeSeconds"].is_i64());
    assert_eq!(second["domains"], json!(["accounts", "crm", "desk"]));
    assert_eq!(second["version"], env!("CARGO_PKG_VERSION"));

    let actors = a.get_json("/admin/actors", Some(&admin)).await;
    assert_eq!(actors["bus"]["kind"], "rabbitmq");
    assert_eq!(actors["bus"]["link"], "connected");
    assert!(actors["bus"]["outboxDepth"].is_i64());
    let names: Vec<&str> = actors["actors"].as_array().unwrap().iter().filter_map(|a| a["name"].as_str()).collect();
    for expected in ["bus.rabbitmq", "bus.relay", "bus.presence", "crm.user-sync", "crm.service", "access.scopes"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }

    b.stop().await;
    eventually(3.0, "the stopped node to leave the list", || async {
        let nodes = a.get_json("/admin/nodes", Some(&admin)).await;
        (nodes.as_array().unwrap().len() == 1).then_some(())
    })
    .await;
}

/// Publishes raw bytes to the test's user event exchange.
async fn publish_raw(node: &TestNode, routing_key: &str, payload: &[u8]) {
    let connection = lapin::Connection::connect(&common::broker_url(), Default::default()).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let exchange = format!("{}user_events", node.config.broker.namespace);
    channel
        .basic_publish(exchange.into(), routing_key.into(), BasicPublishOptions::default(), payload, Default::default())
        .await
        .unwrap()
        .await
        .unwrap();
    connection.close(200, "done".into()).await.ok();
}

fn envelope(kind: &str, id: &str, version: i64, name: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(), "type": kind, "version": 1, "occurredAt": chrono::Utc::now(), "node": "test",
        "data": {"id": id, "workId": "W-x", "email": "x@example.com", "name": name, "timezone": null,
                 "workLocation": "Here", "department": null, "deptManager": null, "birthday": null, "isAdmin": false,
                 "version": version, "dateJoined": chrono::Utc::now(), "updatedAt": chrono::Utc::now()}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_and_duplicate_events_change_nothing() {
    let node = TestNode::spawn().await;
    let admin = node.admin("judge").await;
    let id = uuid::Uuid::new_v4().to_string();
    let newest = envelope("user.updated", &id, 3, "Version three");
    for event in [newest.clone(), envelope("user.created", &id, 1, "Version one"), newest.clone()] {
        publish_raw(&node, event["type"].as_str().unwrap(), event.to_string().as_bytes()).await;
    }
    let marker = envelope("user.created", &uuid::Uuid::new_v4().to_string(), 1, "Marker");
    publish_raw(&node, "user.created", marker.to_string().as_bytes()).await;
    let marker_id = marker["data"]["id"].as_str().unwrap().to_string();
    eventually(3.0, "the marker event", || crm_user(&node, &admin, &marker_id)).await;
    let user = crm_user(&node, &admin, &id).await.expect("synced");
    assert_eq!(user["name"], "Version three");
    let processed = count(&node, "SELECT count(*) AS n FROM crm.processed_events").await;
    let users = count(&node, "SELECT count(*) AS n FROM crm.users").await;
    assert_eq!(processed, users + 1, "the duplicate was recognised by its event id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_message_is_dead_lettered_and_consuming_goes_on() {
    let node = TestNode::spawn().await;
    let admin = node.admin("poison").await;
    publish_raw(&node, "user.created", b"{ this is not json").await;
    publish_raw(&node, "user.created", json!({"id": "nope"}).to_string().as_bytes()).await;
    let after = node.register("after").await;
    let id = after["id"].as_str().unwrap().to_string();
    eventually(3.0, "the event after the poison", || crm_user(&node, &admin, &id)).await;

    let connection = lapin::Connection::connect(&common::broker_url(), Default::default()).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let dead = format!("{}crm_user_sync.dead", node.config.broker.namespace);
    let passive = QueueDeclareOptions { passive: true, ..Default::default() };
    let depth = eventually(3.0, "two dead letters", || {
        let (channel, dead) = (channel.clone(), dead.clone());
        async move {
            let queue = channel.queue_declare(dead.into(), passive, FieldTable::default()).await.ok()?;
            (queue.message_count() == 2).then_some(queue.message_count())
        }
    })
    .await;
    assert_eq!(depth, 2);
    connection.close(200, "done".into()).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_registrations_during_a_broker_outage_all_arrive_exactly_once() {
    let proxy = BrokerProxy::start("127.0.0.1:5672").await;
    let a = TestNode::spawn_with(|c| {
        c.broker.url = proxy.url();
        c.database.pool_size = 8;
    })
    .await;
    let b = a.join(|_| {}).await;
    let admin = a.admin("watch").await;
    eventually(3.0, "the admin synced", || async {
        (count(&a, "SELECT count(*) AS n FROM crm.users").await == 1).then_some(())
    })
    .await;

    proxy.cut();
    eventually(3.0, "readiness to report the broker down", || async {
        let ready = a.get_json("/health/ready", None).await;
        (ready["broker"] == "disconnected" && ready["status"] == "degraded").then_some(())
    })
    .await;
    let registrations = (0..200).map(|i| {
        let node = if i % 2 == 0 { &a } else { &b };
        let request = node.http.post(node.url("/accounts/register")).json(&registration(&format!("out{i}")));
        async move { request.send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(registrations).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{statuses:?}");
    let pending = count(&a, "SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL").await;
    assert!(pending >= 150, "events wait in the outbox while the broker is away ({pending} pending)");
    let actors = a.get_json("/admin/actors", Some(&admin)).await;
    assert_eq!(actors["bus"]["link"], "disconnected");

    proxy.restore();
    eventually(20.0, "all 201 users in the CRM directory", || async {
        (count(&a, "SELECT count(*) AS n FROM crm.users").await == 201).then_some(())
    })
    .await;
    eventually(5.0, "the outbox to drain", || async {
        (count(&a, "SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL").await == 0).then_some(())
    })
    .await;
    let distinct = count(&a, "SELECT count(DISTINCT email) AS n FROM crm.users").await;
    assert_eq!(distinct, 201);
    let applied = count(&a, "SELECT count(*) AS n FROM crm.processed_events").await;
    assert_eq!(applied, 201, "each event applied once");
}

/// A node run as its own process (the release or debug binary), sharing `owner`'s database.
struct NodeProcess {
    child: std::process::Child,
    base: String,
}

impl NodeProcess {
    async fn start(owner: &TestNode, broker_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("GATEWAY__DATABASE__URL", &owner.config.database.url)
            .env("GATEWAY__BROKER__URL", broker_url)
            .env("GATEWAY__BROKER__NAMESPACE", &owner.config.broker.namespace)
            .env("GATEWAY__SERVER__PORT", port.to_string())
            .env("GATEWAY__LOG__LEVEL", "error")
            // Bursts of logins for one email would otherwise meet the throttle's up-front charge.
            .env("GATEWAY__LOGIN__MAX_FAILURES_PER_EMAIL", "100")
            .spawn()
            .expect("node process starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        eventually(10.0, "the node process to answer", || {
            let request = client.get(format!("{base}/health/live"));
            async move { request.send().await.ok().map(|_| ()) }
        })
        .await;
        Self { child, base }
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill takes plain integers; the pid is our own child's.
        unsafe { libc::kill(self.child.id() as i32, signal) };
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_left_by_a_killed_node_are_published_by_the_next_one() {
    let proxy = BrokerProxy::start("127.0.0.1:5672").await;
    proxy.cut();
    let owner = TestNode::spawn_with(|c| c.broker.url = proxy.url()).await;
    let mut doomed = NodeProcess::start(&owner, &proxy.url()).await;
    let client = reqwest::Client::new();
    for i in 0..20 {
        let response =
            client.post(format!("{}/accounts/register", doomed.base)).json(&registration(&format!("k{i}"))).send();
        assert_eq!(response.await.unwrap().status(), StatusCode::CREATED);
    }
    assert_eq!(count(&owner, "SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL").await, 20);
    doomed.signal(libc::SIGKILL);
    doomed.child.wait().unwrap();

    let _heir = owner.join(|c| c.broker.url = common::broker_url()).await;
    eventually(10.0, "the killed node's events in the CRM", || async {
        (count(&owner, "SELECT count(*) AS n FROM crm.users").await == 20).then_some(())
    })
    .await;
    assert_eq!(count(&owner, "SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL").await, 0);
    assert_eq!(count(&owner, "SELECT count(*) AS n FROM crm.processed_events").await, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_then_exits_cleanly() {
    let owner = TestNode::spawn().await;
    let mut node = NodeProcess::start(&owner, &common::broker_url()).await;
    let client = reqwest::Client::new();
    let response = client.post(format!("{}/accounts/register", node.base)).json(&registration("last")).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::CREATED);
    // Logins queue up behind the hasher, so they are still in flight when the signal arrives.
    let logins: Vec<_> = (0..16)
        .map(|_| {
            let request = client
                .post(format!("{}/accounts/login", node.base))
                .json(&json!({"email": "last@example.com", "password": common::PASSWORD}));
            tokio::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    node.signal(libc::SIGTERM);
    for login in logins {
        assert_eq!(login.await.unwrap().expect("answered, not cut off"), StatusCode::OK);
    }
    let status = tokio::task::spawn_blocking(move || node.child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status:?}");
    let refused = client.get(format!("{}/health/live", node.base)).send().await;
    assert!(refused.is_err(), "the node stopped accepting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_keeps_failing_is_dead_lettered_after_bounded_attempts() {
    let node = TestNode::spawn_with(|c| c.broker.max_deliveries = 2).await;
    let admin = node.admin("retry").await;
    // PostgreSQL refuses NUL in text: applying this event fails every time.
    let doomed = envelope("user.created", &uuid::Uuid::new_v4().to_string(), 1, "nul\u{0}name");
    publish_raw(&node, "user.created", doomed.to_string().as_bytes()).await;
    let after = node.register("later").await;
    let id = after["id"].as_str().unwrap().to_string();
    eventually(5.0, "events behind the failing one", || crm_user(&node, &admin, &id)).await;

    let connection = lapin::Connection::connect(&common::broker_url(), Default::default()).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let dead = format!("{}crm_user_sync.dead", node.config.broker.namespace);
    let passive = QueueDeclareOptions { passive: true, ..Default::default() };
    eventually(15.0, "the failing event in the dead-letter queue", || {
        let (channel, dead) = (channel.clone(), dead.clone());
        async move {
            let queue = channel.queue_declare(dead.into(), passive, FieldTable::default()).await.ok()?;
            (queue.message_count() == 1).then_some(())
        }
    })
    .await;
    let actors = node.get_json("/admin/actors", Some(&admin)).await;
    let sync = actors["actors"].as_array().unwrap().iter().find(|a| a["name"] == "crm.user-sync").unwrap();
    assert!(sync["failed"].as_u64().unwrap() >= 2, "{sync}");
    connection.close(200, "done".into()).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_and_revoked_users_are_refused_on_every_node_within_a_second() {
    let a = TestNode::spawn().await;
    let b = a.join(|_| {}).await;
    let admin = a.admin("root").await;
    let user = a.register("cached").await;
    let token = a.login("cached").await;
    // Node B resolves (and caches) the user.
    assert_eq!(b.get("/accounts/me", Some(&token)).await.status(), StatusCode::OK);

    let change = json!({"currentPassword": common::PASSWORD, "newPassword": "Tidal-Lantern-77"});
    let older = a.login("cached").await;
    assert_eq!(b.get("/accounts/me", Some(&older)).await.status(), StatusCode::OK);
    assert_eq!(a.patch("/accounts/me", &json!(change), Some(&token)).await.status(), StatusCode::OK);
    eventually(1.0, "node B to refuse the revoked token", || async {
        (b.get("/accounts/me", Some(&older)).await.status() == StatusCode::UNAUTHORIZED).then_some(())
    })
    .await;

    let fresh =
        b.post("/accounts/login", &json!({"email": "cached@example.com", "password": "Tidal-Lantern-77"}), None).await;
    let fresh = fresh.json::<Value>().await.unwrap()["accessToken"].as_str().unwrap().to_string();
    assert_eq!(b.get("/accounts/me", Some(&fresh)).await.status(), StatusCode::OK);
    let path = format!("/accounts/users/{}", user["id"].as_str().unwrap());
    assert_eq!(a.delete(&path, Some(&admin)).await.status(), StatusCode::NO_CONTENT);
    eventually(1.0, "node B to refuse the deleted user's token", || async {
        (b.get("/accounts/me", Some(&fresh)).await.status() == StatusCode::UNAUTHORIZED).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_on_one_node_kills_the_sessions_tokens_on_every_node_within_a_second() {
    let a = TestNode::spawn().await;
    let b = a.join(|_| {}).await;
    a.register("leaving").await;
    let token = a.login("leaving").await;
    let other = b.login("leaving").await;
    // Node B resolves (and caches) both sessions.
    for token in [&token, &other] {
        assert_eq!(b.get("/accounts/me", Some(token)).await.status(), StatusCode::OK);
    }
    let logout = a.send(reqwest::Method::POST, "/accounts/logout", None, Some(&token)).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    eventually(1.0, "node B to refuse the ended session's token", || async {
        (b.get("/accounts/me", Some(&token)).await.status() == StatusCode::UNAUTHORIZED).then_some(())
    })
    .await;
    assert_eq!(b.get("/accounts/me", Some(&other)).await.status(), StatusCode::OK, "the other session lives");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_missed_the_end_of_a_session_refuses_its_tokens_within_the_cache_ttl() {
    let proxy = BrokerProxy::start("127.0.0.1:5672").await;
    let a = TestNode::spawn().await;
    let b = a.join(|c| c.broker.url = proxy.url()).await;
    a.register("unheard").await;
    let token = a.login("unheard").await;
    assert_eq!(b.get("/accounts/me", Some(&token)).await.status(), StatusCode::OK);
    proxy.cut();
    let logout = a.send(reqwest::Method::POST, "/accounts/logout", None, Some(&token)).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    // B never hears of it; its cached copy expires after 5 s and the next check reads the end.
    eventually(6.5, "node B to refuse the token without the broadcast", || async {
        (b.get("/accounts/me", Some(&token)).await.status() == StatusCode::UNAUTHORIZED).then_some(())
    })
    .await;
    proxy.restore();
}
