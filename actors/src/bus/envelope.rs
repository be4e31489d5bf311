//! The event envelope: `{id, type, version, occurredAt, node, data}`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Version of the envelope format.
pub const ENVELOPE_VERSION: u32 = 1;

/// One event as it travels between nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// Unique event id; consumers use it to drop duplicates.
    pub id: Uuid,
    /// Event type, also the routing key, e.g. `user.created`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Envelope format version.
    pub version: u32,
    /// When the change committed.
    pub occurred_at: DateTime<Utc>,
    /// The node that made the change.
    pub node: String,
    /// The event's payload.
    pub data: serde_json::Value,
}

impl Envelope {
    /// A new envelope with a fresh id, stamped now.
    pub fn new(kind: impl Into<String>, node: impl Into<String>, data: serde_json::Value) -> Self {
        Self {
            id: Uuid::new_v4(),
            kind: kind.into(),
            version: ENVELOPE_VERSION,
            occurred_at: Utc::now(),
            node: node.into(),
            data,
        }
    }
}
