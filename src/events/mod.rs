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
        return Bus { publish: addr.clone().recipient(), broadcast: addr.clone().recipient(), close: addr.recipient(), state };
    }
    let state = Arc::new(BusState::broker());
    let settings = RabbitSettings {
        url: broker.url.clone(),
        connection_name: format!("gateway {node_id}"),
        exchange: qualified(broker, USER_EVENTS),
        dead_letter_exchange: qualified(broker, &format!("{USER_EVENTS}.dlx")),
        broadcast_exchange: qualified(broker, "mesh"),
        node_queue: qualified(broker, &format!("mesh.{node_id}")),
        max_deliveries: broker.max_deliveries,
        max_backoff: broker.max_backoff,
        prefetch: 64,
    };
    let bridge_state = state.clone();
    let addr = Supervisor::start_in_arbiter(&arbiter.handle(), move |_| {
        RabbitBridge::new(entry, settings, bridge_state, subscriptions, broadcast)
    });
    Bus { publish: addr.clone().recipient(), broadcast: addr.clone().recipient(), close: addr.recipient(), state }
}
