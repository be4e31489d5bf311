//! The typed messages the desk actor answers for tickets. Each carries the caller's scope
//! (profile + role), resolved at the edge; the handler checks it before touching a ticket.

use actix::Message;
use uuid::Uuid;

use super::activity::Activity;
use super::comments::Comment;
use super::model::TicketChanges;
use super::views::TicketView;
use crate::access::Scope;
use crate::error::Error;
use crate::http::page::{Page, PageRequest};
use crate::records::list::RecordList;
use std::sync::Arc;

/// Lists the tickets the caller may read.
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<TicketView>, Error>")]
pub struct ListTickets {
    pub scope: Arc<Scope>,
    pub list: RecordList,
}

/// Reads one ticket; 404 when missing, deleted or not visible.
#[derive(Debug, Message)]
#[rtype(result = "Result<TicketView, Error>")]
pub struct GetTicket {
    pub scope: Arc<Scope>,
    pub id: Uuid,
}

/// Opens a ticket.
#[derive(Debug, Message)]
#[rtype(result = "Result<TicketView, Error>")]
pub struct CreateTicket {
    pub scope: Arc<Scope>,
    pub changes: TicketChanges,
}

/// Changes a ticket (status transitions are checked).
#[derive(Debug, Message)]
#[rtype(result = "Result<TicketView, Error>")]
pub struct UpdateTicket {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub changes: TicketChanges,
}

/// Deletes a ticket (softly: it is kept, marked deleted, and answers 404 from then on).
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteTicket {
    pub scope: Arc<Scope>,
    pub id: Uuid,
}

/// Comments on a ticket the caller can see.
#[derive(Debug, Message)]
#[rtype(result = "Result<Comment, Error>")]
pub struct AddComment {
    pub scope: Arc<Scope>,
    pub ticket: Uuid,
    pub body: String,
    pub public: bool,
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
