//! Record changes in the audit log: a delete of any record module is written with its action
//! (`crm.contact.deleted`, `desk.workOrder.deleted`) in the delete's own transaction.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::RecordKind;
use crate::audit::{self, Target, Trail};
use crate::error::Error;

/// How the audit log names a record of `K`: its noun in camelCase (`contact`, `workOrder`).
pub fn audit_kind<K: RecordKind>() -> String {
    let mut words = K::NOUN.split(' ');
    let first = words.next().unwrap_or_default().to_string();
    words.fold(first, |mut name, word| {
        let mut chars = word.chars();
        name.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        name.push_str(chars.as_str());
        name
    })
}

/// Where a record change is recorded: this node, the request's trail, and the fields to note
/// (`cascade`, `bulk`).
#[derive(Debug, Clone, Copy)]
pub struct Audited<'a> {
    pub node: &'a str,
    pub trail: &'a Trail,
    pub fields: &'a [&'a str],
}

impl Audited<'_> {
    /// Records the delete of record `id` of `K`; run on the delete's transaction.
    pub async fn deleted<K: RecordKind>(self, conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), Error> {
        let kind = audit_kind::<K>();
        let action = format!("{}.{kind}.deleted", K::DOMAIN);
        audit::record(conn, self.node, self.trail, &action, Target::of(&kind, id), self.fields).await
    }
}
