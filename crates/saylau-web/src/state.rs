//! The portal's state: the store, the election it publishes, and the snapshot of the
//! election at the log's head, rebuilt only when the head moves.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use saylau_core::count::commission::StationId;
use saylau_store::entry::Checkpoint;
use saylau_store::id::ElectionId;
use saylau_store::store::Store;

use crate::results::{ResultsError, Snapshot, snapshot};

/// How the portal is configured.
#[derive(Debug, Clone)]
pub struct Config {
    /// The election published.
    pub election: ElectionId,
    /// `max-age` of public responses, in seconds: one short TTL for every layer.
    pub max_age: u32,
    /// How long the log head read from the store is trusted before it is read again (zero:
    /// every request reads it). A version this instance accepted is visible at once (the
    /// write drops the head), one another instance on the same PostgreSQL store accepted as
    /// soon as its notification arrives ([`AppState::follow`]), and any other within this
    /// time.
    pub head_ttl: Duration,
}

/// The shared state of every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: Config,
    head: Mutex<Option<(Instant, Checkpoint)>>,
    /// Held by the one request that reads the head from the store.
    head_read: tokio::sync::Mutex<()>,
    /// Bumped whenever the cached head is dropped: a head read before a drop is not cached
    /// after it.
    generation: AtomicU64,
    snapshot: Mutex<Option<Arc<Snapshot>>>,
    rebuild: tokio::sync::Mutex<()>,
    work: crate::work::Work,
    quick_count: std::sync::OnceLock<saylau_app::pvt::estimate::EstimateView>,
}

impl AppState {
    /// The state of a portal over `store`, with no key to sign entries with.
    pub fn new(store: Store, config: Config) -> AppState {
        AppState::with_work(store, config, crate::work::Work::default())
    }

    /// The state of a portal over `store` whose working interface is `work`.
    pub fn with_work(store: Store, config: Config, work: crate::work::Work) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                head: Mutex::new(None),
                head_read: tokio::sync::Mutex::new(()),
                generation: AtomicU64::new(0),
                snapshot: Mutex::new(None),
                rebuild: tokio::sync::Mutex::new(()),
                work,
                quick_count: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The working interface's keys and cookie settings.
    pub fn work(&self) -> &crate::work::Work {
        &self.inner.work
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The quick count published on the portal, if one was set.
    pub fn quick_count(&self) -> Option<&saylau_app::pvt::estimate::EstimateView> {
        self.inner.quick_count.get()
    }

    /// Publishes a quick count's estimate on the portal; false if one was set already.
    pub fn set_quick_count(&self, view: saylau_app::pvt::estimate::EstimateView) -> bool {
        self.inner.quick_count.set(view).is_ok()
    }

    /// The head of the log, read again when older than the configured TTL or dropped.
    ///
    /// One request reads it at a time: while it does, the others answer from the head past
    /// its TTL (by at most the time of one read), or, when a write dropped it, wait for
    /// that read. Before, every request in flight when the TTL ended read the head itself,
    /// each on a reader connection of its own (the store keeps four idle): 64 connections
    /// opened at once every 200 ms, the p99 of `bench/web/run.sh`.
    async fn head(&self) -> Result<Checkpoint, ResultsError> {
        let ttl = self.inner.config.head_ttl;
        let fresh = |cached: &Option<(Instant, Checkpoint)>| match *cached {
            Some((at, head)) if at.elapsed() < ttl => Some(head),
            _ => None,
        };
        let stale = {
            let cached = lock(&self.inner.head);
            if let Some(head) = fresh(&cached) {
                return Ok(head);
            }
            cached.filter(|_| !ttl.is_zero()).map(|(_, head)| head)
        };
        let _reading = match (self.inner.head_read.try_lock(), stale) {
            (Ok(guard), _) => guard,
            (Err(_), Some(head)) => return Ok(head),
            (Err(_), None) => {
                let guard = self.inner.head_read.lock().await;
                if let Some(head) = fresh(&lock(&self.inner.head)) {
                    return Ok(head);
                }
                guard
            }
        };
        let generation = self.inner.generation.load(Ordering::Acquire);
        let head = saylau_store::ledger::checkpoint(&self.inner.store)
            .await
            .map_err(|err| ResultsError::Store(err.to_string()))?;
        let mut cached = lock(&self.inner.head);
        // Dropped while it was read: it may predate the append that dropped it.
        if self.inner.generation.load(Ordering::Acquire) == generation {
            *cached = Some((Instant::now(), head));
        }
        Ok(head)
    }

    /// Drops the cached head of the log: the next request reads it from the store. Called
    /// after every write this instance accepted, and when another instance's append is
    /// heard.
    pub fn forget_head(&self) {
        forget(&self.inner);
    }

    /// Follows the appends of other processes to the store (PostgreSQL's notifications,
    /// `saylau_store::watch`) on a task of its own, dropping the cached head at each, until
    /// the state is dropped or the store closed. On SQLite it does nothing: another
    /// process's append there is seen when the head's TTL ends. Returns once listening, so
    /// that every append committed after it is heard.
    pub async fn follow(&self) -> Result<(), ResultsError> {
        let changes = saylau_store::watch::changes(&self.inner.store)
            .await
            .map_err(|err| ResultsError::Store(err.to_string()))?;
        let Some(mut changes) = changes else { return Ok(()) };
        let inner: Weak<Inner> = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            // Whatever ends the listening (the store closed), the TTL still bounds how
            // stale the head may be.
            while changes.next().await.is_ok() {
                let Some(inner) = inner.upgrade() else { break };
                forget(&inner);
            }
        });
        Ok(())
    }

    /// The snapshot at the log's head: the cached one while the head has not moved.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, ResultsError> {
        let head = self.head().await?;
        if let Some(snapshot) = self.cached(head) {
            return Ok(snapshot);
        }
        // One rebuild at a time: the requests that queue behind it find it cached.
        let _guard = self.inner.rebuild.lock().await;
        if let Some(snapshot) = self.cached(head) {
            return Ok(snapshot);
        }
        let snapshot = Arc::new(snapshot(&self.inner.store, &self.inner.config.election).await?);
        *lock(&self.inner.snapshot) = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// The snapshot a write of `station`'s protocol is checked against: the last one
    /// built, whatever head it was read at, when it has the station; else the snapshot at
    /// the head. A write uses only what the registry fixes (the station, the lists on the
    /// ballot, its commissions' names), which later entries only add to (registration is
    /// insert-only), and the store checks the rest as it appends (the base version, the
    /// key's authority, the lists, the known checkpoint). So a burst of writes does not
    /// rebuild (and verify) the whole election before each one: that made 10,000 entries
    /// over the API quadratic (`bench/web/submit.sh`).
    pub async fn write_snapshot(&self, station: &str) -> Result<Arc<Snapshot>, ResultsError> {
        let known = |snapshot: &Arc<Snapshot>| {
            StationId::parse(station).is_ok_and(|id| snapshot.stations.contains_key(&id))
        };
        if let Some(snapshot) = lock(&self.inner.snapshot).as_ref().filter(|it| known(it)) {
            return Ok(Arc::clone(snapshot));
        }
        self.snapshot().await
    }

    fn cached(&self, head: Checkpoint) -> Option<Arc<Snapshot>> {
        lock(&self.inner.snapshot).as_ref().filter(|it| it.head == head).map(Arc::clone)
    }
}

fn forget(inner: &Inner) {
    let mut cached = lock(&inner.head);
    inner.generation.fetch_add(1, Ordering::AcqRel);
    *cached = None;
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves a value that is still whole (an Option).
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
