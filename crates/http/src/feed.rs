//! The event feed's sequencer, as this process drives it.
//!
//! Events get their feed position after they commit (see `sequence_events` in the persistence
//! crate). Every write that adds events calls [`Sequencer::catch_up`] after its commit, and every
//! feed read calls it before reading, so a client sees its own events at once and events committed
//! by other hub processes (or left unsequenced by a crash) are picked up by the next pass anyone
//! runs. Calls that arrive while a pass is running wait for the next pass rather than each running
//! their own.

use std::sync::atomic::{AtomicU64, Ordering};

use claims_persistence::{Database, StoreError};
use tokio::sync::{Mutex, Notify};

#[derive(Default)]
pub struct Sequencer {
    /// Tickets handed to callers, in order.
    requested: AtomicU64,
    /// The highest ticket a finished pass has covered.
    covered: Mutex<u64>,
    /// Woken whenever a pass gives out positions (long-polling readers wait on it).
    published: Notify,
}

impl Sequencer {
    /// Makes sure every event committed before this call has its feed position.
    pub async fn catch_up(&self, db: &Database) -> Result<(), StoreError> {
        let ticket = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut covered = self.covered.lock().await;
        if *covered >= ticket {
            // A pass that started after this call was made has already run.
            return Ok(());
        }
        let upto = self.requested.load(Ordering::SeqCst);
        let sequenced = db.sequence_events().await?;
        *covered = upto;
        if sequenced > 0 {
            self.published.notify_waiters();
        }
        Ok(())
    }

    /// Like [`Sequencer::catch_up`] after a write that has already committed: a failure is only
    /// logged, since the next pass will sequence the events anyway.
    pub async fn after_write(&self, db: &Database) {
        if let Err(error) = self.catch_up(db).await {
            tracing::warn!(%error, "could not sequence events now; a later pass will");
        }
    }

    /// Resolves when a pass of this process next gives out positions (call `enable` on it
    /// before looking at the feed, so a pass in between is not missed).
    pub fn published(&self) -> tokio::sync::futures::Notified<'_> {
        self.published.notified()
    }
}
