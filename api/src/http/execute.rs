//! Running a GraphQL request: the request's DataLoader runs its batches
//! inside the request's own task (see the invariant in ARCHITECTURE.md), for
//! a request over HTTP ([`execute_batched`]) and for every operation over
//! the WebSocket ([`SocketExecutor`], through [`execute_stream_batched`]).
//!
//! async-graphql's DataLoader takes a batch a fixed delay after its first
//! key. Spawned on a multi-threaded runtime, that timer races the resolvers
//! still registering keys, so a slow machine splits one batch into several
//! and the statement count starts to depend on the number of rows. Polled
//! from the request's task, a batch task runs only once every resolver of
//! the request is waiting, so each batch holds every key that could be
//! known at that point: deterministic, and no timer latency to pay.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, Waker};

use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response};
use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, FuturesUnordered, StreamExt};
use sea_orm::DatabaseConnection;
use tokio::sync::mpsc;

use super::AppState;
use crate::events::Sink;
use crate::graphql::AppSchema;
use crate::graphql::loaders::{AppLoader, DbLoader};

/// Executes `request` with a fresh DataLoader whose batch tasks run inside
/// this request's own task instead of being spawned.
/// `sink` (SQLite) receives the events of the request's writes.
pub async fn execute_batched(
    schema: &AppSchema,
    db: &DatabaseConnection,
    sink: Option<&Sink>,
    request: Request,
) -> Response {
    let (loader, mut batches) = InTaskBatches::loader(db, sink);
    let mut exec = std::pin::pin!(schema.execute(request.data(loader)));
    std::future::poll_fn(move |cx| batches.poll(cx, |cx| exec.as_mut().poll(cx))).await
}

/// Executes `request` as a stream of responses (a subscription's events, or
/// the one answer of a query or mutation) with a fresh DataLoader whose
/// batch tasks run inside the task polling the stream, as
/// [`execute_batched`] does. `cache: false` for a subscription, so that
/// every event shows current data.
pub fn execute_stream_batched(
    schema: &AppSchema,
    db: &DatabaseConnection,
    sink: Option<&Sink>,
    request: Request,
    session_data: Arc<Data>,
    cache: bool,
) -> BoxStream<'static, Response> {
    let (loader, mut batches) = InTaskBatches::loader(db, sink);
    loader.enable_all_cache(cache);
    let mut responses = schema.execute_stream_with_session_data(request.data(loader), session_data);
    stream::poll_fn(move |cx| batches.poll(cx, |cx| responses.poll_next_unpin(cx))).boxed()
}

/// The schema behind its gate with in-task DataLoader batches, as an
/// [`Executor`]: what the WebSocket transport runs every operation with.
/// Each operation (a subscription, or a query or mutation sent over the
/// socket) gets its own DataLoader; a mutation invalidates the response
/// cache before its answer leaves, as over HTTP.
#[derive(Clone)]
pub struct SocketExecutor {
    state: AppState,
}

impl SocketExecutor {
    /// Runs operations with `state`'s schema, gate, pool and cache.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: Request) -> Response {
        self.state.execute(request).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (request, ty) = match self.state.gate.admit(request) {
            Ok(admitted) => admitted,
            Err(refused) => {
                return stream::once(async move { Response::from_errors(vec![refused]) }).boxed();
            }
        };
        let gate = self.state.gate.clone();
        let invalidate = match ty {
            OperationType::Mutation => self.state.response_cache.clone(),
            _ => None,
        };
        execute_stream_batched(
            &self.state.schema,
            &self.state.db,
            self.state.sink.as_ref(),
            request,
            session_data.unwrap_or_default(),
            ty != OperationType::Subscription,
        )
        .map(move |resp| {
            let resp = gate.finish(resp);
            if let Some(cache) = &invalidate {
                cache.invalidate();
            }
            resp
        })
        .boxed()
    }
}

/// The DataLoader batch tasks of one request, run by whoever polls the
/// request rather than spawned.
struct InTaskBatches {
    /// Tasks the loader handed over, not yet started.
    queued: mpsc::UnboundedReceiver<BoxFuture<'static, ()>>,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    /// Cooperative yields of the request so far.
    yields: u32,
    /// Where the request's writes queue their events (SQLite).
    sink: Option<Sink>,
}

impl InTaskBatches {
    /// A fresh loader reading `db` and the batches it will hand over.
    fn loader(db: &DatabaseConnection, sink: Option<&Sink>) -> (AppLoader, Self) {
        let (tx, queued) = mpsc::unbounded_channel();
        let loader = AppLoader::new(DbLoader::new(db.clone()), move |task| {
            // The receiver lives until the request is answered; a send after
            // that has no one left to wait for its result.
            let _ = tx.send(task);
        })
        .delay(std::time::Duration::ZERO);
        let batches = Self {
            queued,
            running: FuturesUnordered::new(),
            yields: 0,
            sink: sink.cloned(),
        };
        (loader, batches)
    }

    /// Polls the request with `poll_request` (a future's or a stream's
    /// poll) and, once every resolver of it is waiting, runs its batches;
    /// again until the request is ready or nothing progresses.
    fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll_request: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        match self.sink.clone() {
            Some(sink) => sink.scope(|| self.poll_in_scope(cx, poll_request)),
            None => self.poll_in_scope(cx, poll_request),
        }
    }

    fn poll_in_scope<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut poll_request: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        loop {
            // Poll the request with a waker that notices a cooperative yield
            // (futures-util's `join_all` wakes itself after 32 children, tokio
            // resources when the task's budget is spent): the request still has
            // keys to register, so no batch may run yet. A wake during the
            // poll is absorbed; one after it reaches the task as usual.
            let flag = Arc::new(YieldFlag {
                state: AtomicU8::new(POLLING),
                inner: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            let polled = poll_request(&mut Context::from_waker(&waker));
            let state = flag.state.swap(0, Ordering::SeqCst);
            if polled.is_ready() {
                return polled;
            }
            if state & WOKEN != 0 {
                // Poll again at once a few times: going through the
                // scheduler for each yield woke another worker thread (a
                // fifth of the nested list query's time went to thread
                // switches). Then return to the scheduler, which also
                // restores tokio's budget; re-polling without end could
                // spin on a spent budget.
                self.yields += 1;
                if !self.yields.is_multiple_of(IMMEDIATE_REPOLLS) {
                    continue;
                }
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let mut progressed = false;
            while let Poll::Ready(Some(task)) = self.queued.poll_recv(cx) {
                self.running.push(task);
            }
            while let Poll::Ready(Some(())) = self.running.poll_next_unpin(cx) {
                progressed = true;
            }
            if !progressed {
                return Poll::Pending;
            }
        }
    }
}

/// Yields of a request polled again at once before it goes back to the
/// scheduler.
const IMMEDIATE_REPOLLS: u32 = 16;
/// [`YieldFlag`] state: the request is being polled.
const POLLING: u8 = 1;
/// [`YieldFlag`] state: something woke the request.
const WOKEN: u8 = 2;

/// Remembers that the request was woken; a wake while it is being polled
/// is left to [`InTaskBatches::poll`], a later one wakes the request's task.
struct YieldFlag {
    state: AtomicU8,
    inner: Waker,
}

impl std::task::Wake for YieldFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let before = self.state.fetch_or(WOKEN, Ordering::SeqCst);
        if before & POLLING == 0 {
            self.inner.wake_by_ref();
        }
    }
}
