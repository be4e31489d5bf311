//! Events across nodes: the outbox relay, the bus (RabbitMQ bridge or in-process), and mesh
//! presence. Names of exchanges and queues come from here, prefixed by `broker.namespace`.

pub mod outbox;
pub mod presence;
pub mod relay;

use ::actors::bus::local::LocalBus;
use ::actors::bus::rabbit::{RabbitBridge, RabbitSettings};
use ::actors::bus::{Broadcast, BusState, Close, Deliver, Publish, Subscription};
use ::actors::{ActorInfo, Registry};
use actix::{Arbiter, Recipient, Supervisor};
use std::sync::Arc;

use crate::config::BrokerConfig;

/// The topic exchange of user lifecycle events (the NestJS system's name).
pub const USER_EVENTS: &str = "user_events";
/// The CRM's queue of user events, shared by every node (competing consumers).
pub const CRM_USER_SYNC: &str = "crm_user_sync";

/// A name with the configured namespace prefix.
pub fn qualified(broker: &BrokerConfig, name: &str) -> String {
    format!("{}{}", broker.namespace, name)
}

/// Seconds between AMQP heartbeats unless the URL says otherwise: a silent peer (half-open
/// TCP) is detected within two of them.
const HEARTBEAT_SECONDS: u32 = 10;
/// Milliseconds a connection attempt may take unless the URL says otherwise.
const CONNECT_TIMEOUT_MS: u32 = 5000;

/// The broker URL with `heartbeat` and `connection_timeout` defaults added when absent.
fn with_liveness_defaults(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return url.to_string() };
    let present: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
    for (key, value) in [("heartbeat", HEARTBEAT_SECONDS), ("connection_timeout", CONNECT_TIMEOUT_MS)] {
        if !present.iter().any(|k| k == key) {
            parsed.query_pairs_mut().append_pair(key, &value.to_string());
        }
    }
    parsed.to_string()
}

/// Deliveries a node's consumer holds and applies at once (bounded by the pool, too).
const CONSUMER_PREFETCH: u16 = 32;

/// The started bus, whichever it is.
#[derive(Clone)]
pub struct Bus {
    pub publish: Recipient<Publish>,
    pub broadcast: Recipient<Broadcast>,
    pub close: Recipient<Close>,
    pub state: Arc<BusState>,
}

/// Starts the RabbitMQ bridge, or the in-process bus when `broker.url` is empty, on `arbiter`.
pub fn start_bus(
    broker: &BrokerConfig,
    node_id: &str,
    registry: &Arc<Registry>,
    arbiter: &Arbiter,
    subscriptions: Vec<Subscription>,
    broadcast: Vec<Recipient<Deliver>>,
) -> Bus {
    let in_process = broker.url.is_empty();
    let entry = registry.register(ActorInfo {
        name: if in_process { "bus.in-process".into() } else { "bus.rabbitmq".into() },
        kind: "async".into(),
        system: "bus".into(),
        supervisor: "bus.supervisor".into(),
    });
    if in_process {
        let state = Arc::new(BusState::in_process());
        let addr =
            Supervisor::start_in_arbiter(&arbiter.handle(), move |_| LocalBus::new(entry, subscriptions, broadcast));
        return Bus {
            publish: addr.clone().recipient(),
            broadcast: addr.clone().recipient(),
            close: addr.recipient(),
            state,
        };
    }
    let state = Arc::new(BusState::broker());
    let settings = RabbitSettings {
        url: with_liveness_defaults(&broker.url),
        connection_name: format!("gateway {node_id}"),
        exchange: qualified(broker, USER_EVENTS),
        dead_letter_exchange: qualified(broker, &format!("{USER_EVENTS}.dlx")),
        broadcast_exchange: qualified(broker, "mesh"),
        node_queue: qualified(broker, &format!("mesh.{node_id}")),
        max_deliveries: broker.max_deliveries,
        max_backoff: broker.max_backoff,
        prefetch: CONSUMER_PREFETCH,
    };
    let bridge_state = state.clone();
    let addr = Supervisor::start_in_arbiter(&arbiter.handle(), move |_| {
        RabbitBridge::new(entry, settings, bridge_state, subscriptions, broadcast)
    });
    Bus { publish: addr.clone().recipient(), broadcast: addr.clone().recipient(), close: addr.recipient(), state }
}
