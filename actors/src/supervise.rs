//! Supervision helpers around `actix::Supervisor`.
//!
//! actix restarts a supervised actor when it stops, but a panic inside a handler's future
//! would kill the arbiter task instead. [`guarded`] catches such a panic, counts it as a
//! failure, answers the caller with an error and stops the actor so that its supervisor
//! restarts it (the address stays valid; `Supervised::restarting` resets what must not
//! survive a crash). As in Erlang, the crash takes the actor's other in-flight futures with
//! it: their callers get a mailbox error.

use actix::prelude::*;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use crate::instrument::ActorEntry;

/// An actor that registered itself and counts its messages.
pub trait Instrumented: Actor<Context = Context<Self>> {
    /// The actor's registry entry.
    fn entry(&self) -> &Arc<ActorEntry>;
}

/// How a handler's result counts: `Some(reason)` when it is a fault of the actor (a failed
/// dependency, a bug), `None` when it is a normal answer, including a refusal of bad input.
pub trait Outcome {
    /// The fault this result represents, if any.
    fn fault(&self) -> Option<String>;
}

/// The error a caller receives when the handler panicked.
#[derive(Debug, Clone)]
pub struct Panicked(pub String);

/// Makes the receiving actor panic inside its handler: a supervision drill.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Panicked>")]
pub struct InjectFault;

fn panic_message(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("panicked: {text}")
}

/// Runs an actor future as one counted message. A panic is caught, counted as a failure,
/// answered with `E::from(Panicked)`, and stops the actor so its supervisor restarts it.
pub fn guarded<A, F, T, E>(actor: &A, work: F) -> ResponseActFuture<A, Result<T, E>>
where
    A: Instrumented,
    F: ActorFuture<A, Output = Result<T, E>> + 'static,
    T: 'static,
    E: Outcome + From<Panicked> + 'static,
{
    let call = actor.entry().begin();
    let work = CatchUnwind { inner: Box::pin(work) };
    Box::pin(work.map(move |result, _actor, ctx: &mut Context<A>| match result {
        Ok(answer) => {
            call.finish(answer.as_ref().err().and_then(Outcome::fault));
            answer
        }
        Err(message) => {
            call.finish(Some(message.clone()));
            ctx.stop();
            Err(E::from(Panicked(message)))
        }
    }))
}

/// The synchronous counterpart of [`guarded`] for actors on a `SyncArbiter`: a panic is
/// caught and counted; the worker thread keeps serving.
pub fn guarded_sync<T, E>(entry: &Arc<ActorEntry>, work: impl FnOnce() -> Result<T, E>) -> Result<T, E>
where
    E: Outcome + From<Panicked>,
{
    let call = entry.begin();
    match std::panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(answer) => {
            call.finish(answer.as_ref().err().and_then(Outcome::fault));
            answer
        }
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            call.finish(Some(message.clone()));
            Err(E::from(Panicked(message)))
        }
    }
}

/// An actor future whose panics become `Err(message)`.
struct CatchUnwind<A: Actor, O> {
    inner: std::pin::Pin<Box<dyn ActorFuture<A, Output = O>>>,
}

impl<A: Actor, O> ActorFuture<A> for CatchUnwind<A, O> {
    type Output = Result<O, String>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        actor: &mut A,
        ctx: &mut A::Context,
        task: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = &mut self.inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(actor, ctx, task))) {
            Ok(poll) => poll.map(Ok),
            Err(payload) => std::task::Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

/// Implements `Actor` (state kept in the registry entry), `Supervised` (restarts counted) and
/// [`Instrumented`] for an actor struct with an `entry: Arc<ActorEntry>` field and nothing to do
/// on start, stop or restart besides bookkeeping.
#[macro_export]
macro_rules! supervised_actor {
    ($actor:ty) => {
        impl ::actix::Actor for $actor {
            type Context = ::actix::Context<Self>;

            fn started(&mut self, _: &mut Self::Context) {
                self.entry.set_state($crate::ActorState::Running);
            }

            fn stopped(&mut self, _: &mut Self::Context) {
                self.entry.set_state($crate::ActorState::Stopped);
            }
        }

        impl ::actix::Supervised for $actor {
            fn restarting(&mut self, _: &mut Self::Context) {
                self.entry.restarted();
            }
        }

        impl $crate::Instrumented for $actor {
            fn entry(&self) -> &::std::sync::Arc<$crate::ActorEntry> {
                &self.entry
            }
        }
    };
}
