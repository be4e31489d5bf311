//! A ticket's comments; adding one is also recorded in the ticket's activity.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::activity;
use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
use crate::http::page::{Page, PageRequest};
use crate::http::validate::{non_null, Validator};
use crate::schema::desk::ticket_comments;

/// A comment on a ticket.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = ticket_comments, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub body: String,
    /// Meant for the customer (true) or internal to the agents (false).
    pub public: bool,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// `POST /desk/tickets/{id}/comments` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub body: Option<String>,
    /// Default false (internal).
    #[serde(default, deserialize_with = "non_null")]
    pub public: Option<bool>,
}

/// A checked [`CommentRequest`].
#[derive(Debug)]
pub struct NewComment {
    /// The trimmed text.
    pub body: String,
    /// Whether the customer sees it.
    pub public: bool,
}

impl Validate for CommentRequest {
    type Valid = NewComment;
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    /// The body is required, at most 20 000 characters.
    fn validate(mut self, _: &Intent) -> Result<NewComment, Error> {
        let mut v = Validator::default();
        v.require_lines("body", &mut self.body, 20_000, true);
        v.finish()?;
        Ok(NewComment { body: self.body.unwrap_or_default(), public: self.public.unwrap_or(false) })
    }
}

/// Adds a comment and records it in the activity.
pub async fn add(
    conn: &mut AsyncPgConnection,
    ticket: Uuid,
    author: Uuid,
    body: String,
    public: bool,
) -> Result<Comment, Error> {
    let comment: Comment = diesel::insert_into(ticket_comments::table)
        .values((
            ticket_comments::id.eq(Uuid::new_v4()),
            ticket_comments::ticket_id.eq(ticket),
            ticket_comments::body.eq(body),
            ticket_comments::public.eq(public),
            ticket_comments::author_id.eq(author),
        ))
        .returning(Comment::as_returning())
        .get_result(conn)
        .await?;
    activity::record(conn, ticket, "commented", author, serde_json::json!({"commentId": comment.id, "public": public}))
        .await?;
    Ok(comment)
}

/// One page of a ticket's comments, oldest first.
pub async fn comments(conn: &mut AsyncPgConnection, ticket: Uuid, page: &PageRequest) -> Result<Page<Comment>, Error> {
    let mine = ticket_comments::table.filter(ticket_comments::ticket_id.eq(ticket));
    let total = mine.count().get_result(conn).await?;
    let items = mine
        .order((ticket_comments::created_at, ticket_comments::id))
        .select(Comment::as_select())
        .limit(page.limit)
        .offset(page.offset())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: page.page, limit: page.limit })
}
