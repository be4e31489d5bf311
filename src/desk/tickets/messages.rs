//! The typed messages the desk actor answers for a ticket's comments and activity (tickets
//! themselves answer the shared record messages, `crate::records::messages`). Each carries the
//! caller's scope (profile + role), resolved at the edge; the handler checks it before touching a
//! ticket.

use actix::Message;
use uuid::Uuid;

use super::activity::Activity;
use super::comments::{Comment, NewComment};
use crate::access::Scope;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};
use std::sync::Arc;

/// Comments on a ticket the caller can see.
#[derive(Debug, Message)]
#[rtype(result = "Result<Comment, Error>")]
pub struct AddComment {
    pub scope: Arc<Scope>,
    pub ticket: Uuid,
    pub comment: Checked<NewComment>,
}

/// One page of a ticket's comments.
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<Comment>, Error>")]
pub struct ListComments {
    pub scope: Arc<Scope>,
    pub ticket: Uuid,
    pub page: PageRequest,
}

/// One page of a ticket's activity.
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<Activity>, Error>")]
pub struct ListActivity {
    pub scope: Arc<Scope>,
    pub ticket: Uuid,
    pub page: PageRequest,
}
