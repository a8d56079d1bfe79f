//! Running a GraphQL request: the request's DataLoader runs its batches
//! inside the request's own task (see the invariant in ARCHITECTURE.md).

use sea_orm::DatabaseConnection;

use crate::graphql::AppSchema;
use crate::graphql::loaders::{AppLoader, DbLoader};

/// Executes `request` with a fresh DataLoader whose batch tasks run inside
/// this request's own task instead of being spawned.
///
/// async-graphql's DataLoader takes a batch a fixed delay after its first
/// key. Spawned on a multi-threaded runtime, that timer races the resolvers
/// still registering keys, so a slow machine splits one batch into several
/// and the statement count starts to depend on the number of rows. Polled
/// from the request's task, a batch task runs only once every resolver of
/// the request is waiting, so each batch holds every key that could be
/// known at that point: deterministic, and no timer latency to pay.
pub async fn execute_batched(
    schema: &AppSchema,
    db: &DatabaseConnection,
    request: async_graphql::Request,
) -> async_graphql::Response {
    use std::future::Future;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, Ordering};
    use std::task::{Context, Poll, Waker};

    use futures_util::StreamExt;
    use futures_util::stream::FuturesUnordered;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let loader = AppLoader::new(DbLoader::new(db.clone()), move |task| {
        // The receiver lives until the request is answered; a send after
        // that has no one left to wait for its result.
        let _ = tx.send(task);
    })
    .delay(std::time::Duration::ZERO);
    let mut exec = std::pin::pin!(schema.execute(request.data(loader)));
    let mut tasks = FuturesUnordered::new();
    let mut yields = 0;
    std::future::poll_fn(move |cx| {
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
            let polled = exec.as_mut().poll(&mut Context::from_waker(&waker));
            let state = flag.state.swap(0, Ordering::SeqCst);
            if let Poll::Ready(response) = polled {
                return Poll::Ready(response);
            }
            if state & WOKEN != 0 {
                // Poll again at once a few times: going through the
                // scheduler for each yield woke another worker thread (a
                // fifth of the nested list query's time went to thread
                // switches). Then return to the scheduler, which also
                // restores tokio's budget; re-polling without end could
                // spin on a spent budget.
                yields += 1;
                if yields % IMMEDIATE_REPOLLS != 0 {
                    continue;
                }
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let mut progressed = false;
            while let Poll::Ready(Some(task)) = rx.poll_recv(cx) {
                tasks.push(task);
            }
            while let Poll::Ready(Some(())) = tasks.poll_next_unpin(cx) {
                progressed = true;
            }
            if !progressed {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// Yields of a request polled again at once before it goes back to the
/// scheduler.
const IMMEDIATE_REPOLLS: u32 = 16;
/// [`YieldFlag`] state: the request is being polled.
const POLLING: u8 = 1;
/// [`YieldFlag`] state: something woke the request.
const WOKEN: u8 = 2;

/// Remembers that the request was woken; a wake while it is being polled
/// is left to `execute_batched`, a later one wakes the request's task.
struct YieldFlag {
    state: std::sync::atomic::AtomicU8,
    inner: std::task::Waker,
}

impl std::task::Wake for YieldFlag {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        let before = self
            .state
            .fetch_or(WOKEN, std::sync::atomic::Ordering::SeqCst);
        if before & POLLING == 0 {
            self.inner.wake_by_ref();
        }
    }
}
