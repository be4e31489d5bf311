//! The RabbitMQ bridge. It owns its connection: it opens it, declares the topology, runs the
//! consumers, watches for a dead connection or channel (connection errors, a consumer stream
//! that ends, a failed publish or ack), and reopens everything with exponential backoff.
//! lapin's own automatic recovery is deliberately not used.
//!
//! Topology (every name prefixed by the namespace):
//! - `exchange` (topic, durable): domain events, routing key = event type;
//! - per subscription a quorum queue bound to its pattern, with `x-delivery-limit` and a
//!   dead-letter route to `<queue>.dead` through the direct exchange `dead_letter_exchange`;
//! - `broadcast_exchange` (fanout) with one exclusive, auto-deleted queue per node.

use actix::prelude::*;
use futures_util::StreamExt;
use lapin::options::*;
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, Event, ExchangeKind};
use std::sync::Arc;
use std::time::Duration;

use super::{Broadcast, BusError, BusState, Close, Deliver, Envelope, Publish, Rejection, Subscription};
use crate::instrument::{ActorEntry, ActorState};
use crate::supervise::{guarded, Instrumented};

/// Names and limits of the bridge.
#[derive(Debug, Clone)]
pub struct RabbitSettings {
    /// `amqp://user:pass@host:port/vhost`.
    pub url: String,
    /// Connection name shown by the broker (the node id), so operators can find it.
    pub connection_name: String,
    /// Topic exchange for domain events.
    pub exchange: String,
    /// Direct exchange that dead-lettered events are routed through.
    pub dead_letter_exchange: String,
    /// Fanout exchange for mesh broadcasts.
    pub broadcast_exchange: String,
    /// This node's exclusive broadcast queue.
    pub node_queue: String,
    /// Deliveries of one event before it is dead-lettered.
    pub max_deliveries: u32,
    /// Longest wait between reconnection attempts.
    pub max_backoff: Duration,
    /// Unacknowledged deliveries a consumer may hold, and apply at once.
    pub prefetch: u16,
}

/// First wait before reconnecting; doubles up to `max_backoff`.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// The bridge actor.
pub struct RabbitBridge {
    entry: Arc<ActorEntry>,
    settings: RabbitSettings,
    state: Arc<BusState>,
    subscriptions: Vec<Subscription>,
    broadcast: Vec<Recipient<Deliver>>,
    publisher: Option<Channel>,
    connection: Option<Arc<Connection>>,
    generation: u64,
    backoff: Duration,
}

/// Opens (or reopens) the connection.
#[derive(Message)]
#[rtype(result = "()")]
struct Connect;

/// The connection of `generation` died (reported by its watchers).
#[derive(Message)]
#[rtype(result = "()")]
struct ConnectionLost {
    generation: u64,
    reason: String,
}

impl RabbitBridge {
    /// A bridge that connects once started.
    pub fn new(
        entry: Arc<ActorEntry>,
        settings: RabbitSettings,
        state: Arc<BusState>,
        subscriptions: Vec<Subscription>,
        broadcast: Vec<Recipient<Deliver>>,
    ) -> Self {
        Self {
            entry,
            settings,
            state,
            subscriptions,
            broadcast,
            publisher: None,
            connection: None,
            generation: 0,
            backoff: FIRST_BACKOFF,
        }
    }

    fn disconnect(&mut self) {
        self.publisher = None;
        if let Some(connection) = self.connection.take() {
            actix::spawn(async move {
                let _ = connection.close(0, "reconnecting".into()).await;
            });
        }
        self.state.set_connected(false);
    }
}

impl Actor for RabbitBridge {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
        ctx.notify(Connect);
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.disconnect();
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Supervised for RabbitBridge {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.entry.restarted();
        self.disconnect();
        self.backoff = FIRST_BACKOFF;
    }
}

impl Instrumented for RabbitBridge {
    fn entry(&self) -> &Arc<ActorEntry> {
        &self.entry
    }
}

fn table(entries: &[(&str, AMQPValue)]) -> FieldTable {
    let mut table = FieldTable::default();
    for (key, value) in entries {
        table.insert(ShortString::from(*key), value.clone());
    }
    table
}

fn long_string(value: &str) -> AMQPValue {
    AMQPValue::LongString(LongString::from(value.as_bytes().to_vec()))
}

/// Declares the topology and starts the consumers and watchers of one connection.
async fn open(
    settings: RabbitSettings,
    generation: u64,
    bridge: Addr<RabbitBridge>,
    subscriptions: Vec<Subscription>,
    broadcast: Vec<Recipient<Deliver>>,
) -> lapin::Result<(Connection, Channel)> {
    let properties = ConnectionProperties::default().with_connection_name(settings.connection_name.clone().into());
    let connection = Connection::connect(&settings.url, properties).await?;
    let durable = ExchangeDeclareOptions { durable: true, ..Default::default() };
    let setup = connection.create_channel().await?;
    setup
        .exchange_declare(settings.exchange.clone().into(), ExchangeKind::Topic, durable, FieldTable::default())
        .await?;
    setup
        .exchange_declare(
            settings.dead_letter_exchange.clone().into(),
            ExchangeKind::Direct,
            durable,
            FieldTable::default(),
        )
        .await?;
    setup
        .exchange_declare(
            settings.broadcast_exchange.clone().into(),
            ExchangeKind::Fanout,
            durable,
            FieldTable::default(),
        )
        .await?;

    for subscription in subscriptions {
        let dead = format!("{}.dead", subscription.queue);
        let durable_queue = QueueDeclareOptions { durable: true, ..Default::default() };
        setup.queue_declare(dead.clone().into(), durable_queue, FieldTable::default()).await?;
        setup
            .queue_bind(
                dead.into(),
                settings.dead_letter_exchange.clone().into(),
                subscription.queue.clone().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        let arguments = table(&[
            ("x-queue-type", long_string("quorum")),
            ("x-delivery-limit", AMQPValue::LongInt(settings.max_deliveries as i32)),
            ("x-dead-letter-exchange", long_string(&settings.dead_letter_exchange)),
            ("x-dead-letter-routing-key", long_string(&subscription.queue)),
        ]);
        setup.queue_declare(subscription.queue.clone().into(), durable_queue, arguments).await?;
        setup
            .queue_bind(
                subscription.queue.clone().into(),
                settings.exchange.clone().into(),
                subscription.pattern.clone().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        let channel = connection.create_channel().await?;
        channel.basic_qos(settings.prefetch, BasicQosOptions::default()).await?;
        let consumer = channel
            .basic_consume(
                subscription.queue.clone().into(),
                settings.connection_name.clone().into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        let bridge = bridge.clone();
        let concurrency = usize::from(settings.prefetch);
        actix::spawn(async move {
            let reason = consume(consumer, subscription.recipient, concurrency).await;
            bridge.do_send(ConnectionLost { generation, reason });
        });
    }

    let exclusive = QueueDeclareOptions { exclusive: true, auto_delete: true, ..Default::default() };
    setup.queue_declare(settings.node_queue.clone().into(), exclusive, FieldTable::default()).await?;
    setup
        .queue_bind(
            settings.node_queue.clone().into(),
            settings.broadcast_exchange.clone().into(),
            "".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let mut node_consumer = setup
        .basic_consume(
            settings.node_queue.clone().into(),
            format!("{}-broadcast", settings.connection_name).into(),
            BasicConsumeOptions { no_ack: true, ..Default::default() },
            FieldTable::default(),
        )
        .await?;
    let watcher = bridge.clone();
    actix::spawn(async move {
        while let Some(Ok(delivery)) = node_consumer.next().await {
            if let Ok(envelope) = serde_json::from_slice::<Envelope>(&delivery.data) {
                for recipient in &broadcast {
                    recipient.do_send(Deliver(envelope.clone()));
                }
            }
        }
        watcher.do_send(ConnectionLost { generation, reason: "broadcast consumer ended".into() });
    });

    let mut events = connection.events_listener();
    actix::spawn(async move {
        while let Some(event) = events.next().await {
            if let Event::Error(error) = event {
                bridge.do_send(ConnectionLost { generation, reason: error.to_string() });
                break;
            }
        }
    });

    let publisher = connection.create_channel().await?;
    publisher.confirm_select(ConfirmSelectOptions::default()).await?;
    Ok((connection, publisher))
}

/// How long to hold a failed delivery before handing it back: grows with the delivery count
/// so a dependency outage is ridden out before the delivery limit dead-letters the event.
fn retry_delay(delivery: &lapin::message::Delivery) -> Duration {
    let count = delivery
        .properties
        .headers()
        .as_ref()
        .and_then(|h| h.inner().get("x-delivery-count").cloned())
        .and_then(|v| match v {
            AMQPValue::LongLongInt(n) => Some(n),
            AMQPValue::LongInt(n) => Some(i64::from(n)),
            _ => None,
        })
        .unwrap_or(0)
        .clamp(0, 5) as u32;
    Duration::from_millis(200 * 2u64.pow(count))
}

/// Feeds one queue's deliveries to its consumer actor, up to `concurrency` at once (consumers
/// are idempotent and order by version, so deliveries need not wait for each other); acks each
/// only after the consumer applied (committed) it. Returns why it stopped.
async fn consume(consumer: lapin::Consumer, recipient: Recipient<Deliver>, concurrency: usize) -> String {
    let failure: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    consumer
        .for_each_concurrent(concurrency, |next| {
            let (recipient, failure) = (&recipient, &failure);
            async move {
                let problem = match next {
                    Ok(delivery) => settle(delivery, recipient).await.err(),
                    Err(error) => Some(format!("consumer failed: {error}")),
                };
                if let (Some(problem), Ok(mut first)) = (problem, failure.lock()) {
                    first.get_or_insert(problem);
                }
            }
        })
        .await;
    let first = failure.lock().ok().and_then(|mut f| f.take());
    first.unwrap_or_else(|| "consumer stream ended".into())
}

/// Hands one delivery to the consumer and acks, dead-letters or requeues it by the answer.
async fn settle(delivery: lapin::message::Delivery, recipient: &Recipient<Deliver>) -> Result<(), String> {
    let outcome = match serde_json::from_slice::<Envelope>(&delivery.data) {
        Err(error) => Err(Rejection::Poison(format!("not an event envelope: {error}"))),
        Ok(envelope) => {
            recipient.send(Deliver(envelope)).await.unwrap_or_else(|e| Err(Rejection::Retry(e.to_string())))
        }
    };
    let settled = match outcome {
        Ok(()) => delivery.ack(BasicAckOptions::default()).await,
        Err(Rejection::Poison(reason)) => {
            tracing::warn!(%reason, "dead-lettering a poison message");
            delivery.nack(BasicNackOptions { requeue: false, ..Default::default() }).await
        }
        Err(Rejection::Retry(reason)) => {
            let delay = retry_delay(&delivery);
            tracing::warn!(%reason, ?delay, "event not applied; handing it back");
            actix::clock::sleep(delay).await;
            delivery.nack(BasicNackOptions { requeue: true, ..Default::default() }).await
        }
    };
    settled.map(|_| ()).map_err(|error| format!("ack failed: {error}"))
}

impl Handler<Connect> for RabbitBridge {
    type Result = ();

    fn handle(&mut self, _: Connect, ctx: &mut Self::Context) {
        if self.publisher.is_some() {
            return;
        }
        self.generation += 1;
        let generation = self.generation;
        let opening =
            open(self.settings.clone(), generation, ctx.address(), self.subscriptions.clone(), self.broadcast.clone());
        ctx.spawn(opening.into_actor(self).map(move |result, bridge, ctx| {
            if generation != bridge.generation {
                return;
            }
            match result {
                Ok((connection, publisher)) => {
                    tracing::info!(connection = %bridge.settings.connection_name, "broker connected");
                    bridge.connection = Some(Arc::new(connection));
                    bridge.publisher = Some(publisher);
                    bridge.backoff = FIRST_BACKOFF;
                    bridge.state.set_connected(true);
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?bridge.backoff, "broker connection failed");
                    bridge.disconnect();
                    ctx.notify_later(Connect, bridge.backoff);
                    bridge.backoff = (bridge.backoff * 2).min(bridge.settings.max_backoff);
                }
            }
        }));
    }
}

impl Handler<ConnectionLost> for RabbitBridge {
    type Result = ();

    fn handle(&mut self, lost: ConnectionLost, ctx: &mut Self::Context) {
        if lost.generation != self.generation || self.publisher.is_none() {
            return;
        }
        tracing::warn!(reason = %lost.reason, "broker connection lost; reconnecting");
        self.disconnect();
        ctx.notify_later(Connect, FIRST_BACKOFF);
    }
}

impl Handler<Publish> for RabbitBridge {
    type Result = ResponseActFuture<Self, Result<Vec<uuid::Uuid>, BusError>>;

    /// Publishes persistent messages and waits for every publisher confirm; only acked ids are
    /// answered. Any error marks the connection dead: what was not confirmed is sent again.
    fn handle(&mut self, Publish(batch): Publish, ctx: &mut Self::Context) -> Self::Result {
        let publisher = self.publisher.clone();
        let exchange = self.settings.exchange.clone();
        let generation = self.generation;
        let bridge = ctx.address();
        let work = async move {
            let publisher = publisher.ok_or_else(|| BusError::Down("not connected".into()))?;
            let result = publish_confirmed(&publisher, &exchange, &batch).await;
            if let Err(error) = &result {
                bridge.do_send(ConnectionLost { generation, reason: error.to_string() });
            }
            result.map_err(|e| BusError::Down(e.to_string()))
        };
        guarded(self, work.into_actor(self))
    }
}

async fn publish_confirmed(channel: &Channel, exchange: &str, batch: &[Envelope]) -> lapin::Result<Vec<uuid::Uuid>> {
    let mut pending = Vec::with_capacity(batch.len());
    for envelope in batch {
        let payload = serde_json::to_vec(envelope).unwrap_or_default();
        let properties = BasicProperties::default()
            .with_delivery_mode(2)
            .with_content_type("application/json".into())
            .with_message_id(envelope.id.to_string().into())
            .with_type(envelope.kind.clone().into());
        let confirm = channel
            .basic_publish(
                exchange.into(),
                envelope.kind.clone().into(),
                BasicPublishOptions::default(),
                &payload,
                properties,
            )
            .await?;
        pending.push((envelope.id, confirm));
    }
    let mut confirmed = Vec::with_capacity(pending.len());
    for (id, confirm) in pending {
        if confirm.await?.is_ack() {
            confirmed.push(id);
        }
    }
    Ok(confirmed)
}

impl Handler<Broadcast> for RabbitBridge {
    type Result = ();

    fn handle(&mut self, Broadcast(envelope): Broadcast, _: &mut Self::Context) {
        let Some(publisher) = self.publisher.clone() else { return };
        let exchange = self.settings.broadcast_exchange.clone();
        actix::spawn(async move {
            let payload = serde_json::to_vec(&envelope).unwrap_or_default();
            let _ = publisher
                .basic_publish(
                    exchange.into(),
                    "".into(),
                    BasicPublishOptions::default(),
                    &payload,
                    BasicProperties::default(),
                )
                .await;
        });
    }
}

impl Handler<Close> for RabbitBridge {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, _: Close, _: &mut Self::Context) -> Self::Result {
        self.publisher = None;
        self.generation += 1;
        self.state.set_connected(false);
        let connection = self.connection.take();
        Box::pin(
            async move {
                if let Some(connection) = connection {
                    if let Err(error) = connection.close(200, "node shutting down".into()).await {
                        tracing::warn!(%error, "closing the broker connection");
                    }
                }
            }
            .into_actor(self),
        )
    }
}
