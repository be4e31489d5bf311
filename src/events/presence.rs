//! Mesh presence: every node broadcasts a heartbeat and keeps the last one heard from each
//! peer; `GET /admin/nodes` lists the nodes heard within three heartbeat periods. Presence is
//! also the node's receiver of broadcasts: other kinds go to the actors that asked for them with
//! [`Forward`] (actors started after the bus can still listen to the mesh).

use ::actors::bus::{Broadcast, Deliver, Envelope, Rejection};
use ::actors::{ActorEntry, ActorState};
use actix::prelude::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;

/// The broadcast event type of heartbeats.
pub const NODE_HEARTBEAT: &str = "node.heartbeat";

/// What a node announces about itself.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub node_id: String,
    /// The gateway version it runs.
    pub version: String,
    pub started_at: DateTime<Utc>,
    /// The actor systems it hosts.
    pub domains: Vec<String>,
}

/// A node as listed by `GET /admin/nodes`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    #[serde(flatten)]
    pub info: NodeInfo,
    pub uptime_seconds: i64,
    pub last_heartbeat: DateTime<Utc>,
    /// True for the node that answered.
    pub this_node: bool,
}

/// Starts using `broadcaster` for heartbeats (the bus starts after presence).
#[derive(Message)]
#[rtype(result = "()")]
pub struct UseBroadcaster(pub Recipient<Broadcast>);

/// Hands broadcasts of `kind` to `recipient` from now on.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Forward {
    pub kind: &'static str,
    pub recipient: Recipient<Deliver>,
}

/// Lists the live nodes of the mesh.
#[derive(Message)]
#[rtype(result = "Vec<NodeView>")]
pub struct ListNodes;

/// The presence actor.
pub struct Presence {
    entry: Arc<ActorEntry>,
    me: NodeInfo,
    heartbeat: Duration,
    broadcaster: Option<Recipient<Broadcast>>,
    peers: HashMap<String, (NodeInfo, DateTime<Utc>)>,
    forwards: Vec<Forward>,
}

impl Presence {
    /// Presence for the node `me`, beating every `heartbeat`.
    pub fn new(entry: Arc<ActorEntry>, me: NodeInfo, heartbeat: Duration) -> Self {
        Self { entry, me, heartbeat, broadcaster: None, peers: HashMap::new(), forwards: Vec::new() }
    }

    fn beat(&self) {
        if let (Some(broadcaster), Ok(data)) = (&self.broadcaster, serde_json::to_value(&self.me)) {
            broadcaster.do_send(Broadcast(Envelope::new(NODE_HEARTBEAT, self.me.node_id.clone(), data)));
        }
    }
}

impl Actor for Presence {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
        ctx.run_interval(self.heartbeat, |presence, _| presence.beat());
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Supervised for Presence {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.entry.restarted();
    }
}

impl Handler<UseBroadcaster> for Presence {
    type Result = ();

    fn handle(&mut self, UseBroadcaster(broadcaster): UseBroadcaster, _: &mut Self::Context) {
        self.broadcaster = Some(broadcaster);
        self.beat();
    }
}

impl Handler<Deliver> for Presence {
    type Result = Result<(), Rejection>;

    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        let call = self.entry.begin();
        if envelope.kind == NODE_HEARTBEAT {
            if let Ok(info) = serde_json::from_value::<NodeInfo>(envelope.data) {
                self.peers.insert(info.node_id.clone(), (info, Utc::now()));
            }
        } else {
            for forward in self.forwards.iter().filter(|f| f.kind == envelope.kind) {
                forward.recipient.do_send(Deliver(envelope.clone()));
            }
        }
        call.finish(None);
        Ok(())
    }
}

impl Handler<Forward> for Presence {
    type Result = ();

    fn handle(&mut self, forward: Forward, _: &mut Self::Context) {
        self.forwards.push(forward);
    }
}

impl Handler<ListNodes> for Presence {
    type Result = MessageResult<ListNodes>;

    fn handle(&mut self, _: ListNodes, _: &mut Self::Context) -> Self::Result {
        let now = Utc::now();
        let horizon = chrono::Duration::from_std(self.heartbeat * 3).unwrap_or(chrono::Duration::seconds(3));
        self.peers.retain(|_, (_, seen)| now - *seen <= horizon);
        let view = |info: &NodeInfo, seen: DateTime<Utc>| NodeView {
            uptime_seconds: (now - info.started_at).num_seconds(),
            last_heartbeat: seen,
            this_node: info.node_id == self.me.node_id,
            info: info.clone(),
        };
        let mut nodes: Vec<NodeView> = self.peers.values().map(|(info, seen)| view(info, *seen)).collect();
        if !self.peers.contains_key(&self.me.node_id) {
            nodes.push(view(&self.me, now));
        }
        nodes.sort_by(|a, b| a.info.node_id.cmp(&b.info.node_id));
        MessageResult(nodes)
    }
}
