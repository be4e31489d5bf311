//! Queries on the accounts outbox used by the relay and by inspection.

use ::actors::bus::Envelope;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::Error;
use crate::schema::accounts::outbox;

/// Locks up to `limit` pending events in commit order, skipping rows another relay holds.
/// Call inside a transaction; the locks last until it ends.
pub async fn lock_pending(conn: &mut AsyncPgConnection, limit: i64) -> Result<Vec<Envelope>, Error> {
    let rows: Vec<(Uuid, serde_json::Value)> = outbox::table
        .filter(outbox::sent_at.is_null())
        .order(outbox::seq)
        .limit(limit)
        .select((outbox::id, outbox::envelope))
        .for_update()
        .skip_locked()
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|(id, json)| {
            serde_json::from_value(json)
                .map_err(|e| Error::Internal(format!("outbox row {id} is not an envelope: {e}")))
        })
        .collect()
}

/// Marks events as sent.
pub async fn mark_sent(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<(), Error> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set(outbox::sent_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}

/// Number of events not yet sent.
pub async fn depth(conn: &mut AsyncPgConnection) -> Result<i64, Error> {
    Ok(outbox::table.filter(outbox::sent_at.is_null()).count().get_result(conn).await?)
}

/// Deletes events sent more than an hour ago.
pub async fn purge_sent(conn: &mut AsyncPgConnection) -> Result<usize, Error> {
    let cutoff = Utc::now() - chrono::Duration::hours(1);
    Ok(diesel::delete(outbox::table.filter(outbox::sent_at.lt(cutoff))).execute(conn).await?)
}
