//! Baseline for the event benchmark: the raw rate of publishing persistent messages with
//! publisher confirms awaited per batch, through lapin to the local RabbitMQ.
//!
//! usage: amqp_publish_rate <amqp-url> <queue> <messages> <batch>
//! Prints messages per second. Declares `<queue>` (durable) and deletes it afterwards.

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions, QueueDeleteOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ConnectionProperties};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, queue, messages, batch] = args.as_slice() else {
        return Err("usage: amqp_publish_rate <amqp-url> <queue> <messages> <batch>".into());
    };
    let (messages, batch): (usize, usize) = (messages.parse()?, batch.parse()?);
    let connection = Connection::connect(url, ConnectionProperties::default()).await?;
    let channel = connection.create_channel().await?;
    let durable = QueueDeclareOptions { durable: true, ..Default::default() };
    channel.queue_declare(queue.as_str().into(), durable, FieldTable::default()).await?;
    channel.confirm_select(ConfirmSelectOptions::default()).await?;
    let payload = br#"{"id":"00000000-0000-0000-0000-000000000000","type":"user.created","version":1,"data":{}}"#;
    let started = Instant::now();
    let mut sent = 0;
    while sent < messages {
        let mut confirms = Vec::with_capacity(batch);
        for _ in 0..batch.min(messages - sent) {
            let properties = BasicProperties::default().with_delivery_mode(2);
            let publish = channel.basic_publish(
                "".into(),
                queue.as_str().into(),
                BasicPublishOptions::default(),
                payload,
                properties,
            );
            confirms.push(publish.await?);
        }
        sent += confirms.len();
        for confirm in confirms {
            confirm.await?;
        }
    }
    let rate = messages as f64 / started.elapsed().as_secs_f64();
    channel.queue_delete(queue.as_str().into(), QueueDeleteOptions::default()).await?;
    connection.close(200, "done".into()).await?;
    println!("{rate:.0}");
    Ok(())
}
