//! The event feed's sequencer, as this process drives it.
//!
//! Events get their feed position after they commit (see `sequence_events` in the persistence
//! crate). Every write that adds events asks this process's background pass for one
//! ([`Sequencer::after_write`], without waiting: the request answers once its own transaction has
//! committed), and every feed read runs [`Sequencer::catch_up`] before reading, so a client sees
//! its own events at once and events committed by other hub processes (or left unsequenced by a
//! crash) are picked up by the next pass anyone runs. Calls that arrive while a pass is running
//! wait for the next pass rather than each running their own, so under load one pass sequences
//! the events of many writes.

use std::sync::atomic::{AtomicU64, Ordering};

use claims_persistence::{Database, StoreError};
use tokio::sync::{Mutex, Notify};

#[derive(Default)]
pub struct Sequencer {
    /// Tickets handed to callers, in order.
    requested: AtomicU64,
    /// What finished passes covered.
    passes: Mutex<Passes>,
    /// Woken whenever a pass gives out positions (long-polling readers wait on it).
    published: Notify,
    /// Writes that want a pass (the background task waits on it; a request made while a pass
    /// runs is kept, so the pass after it covers that write).
    wanted: Notify,
}

#[derive(Default)]
struct Passes {
    /// The highest ticket a successful pass has covered.
    covered: u64,
    /// The highest ticket a failed pass would have covered: its callers get the failure at once
    /// rather than each waiting out the database's time limit again in turn.
    failed: u64,
}

impl Sequencer {
    /// Makes sure every event committed before this call has its feed position. Waits at most the
    /// database's time limit for a pass another caller is running.
    pub async fn catch_up(&self, db: &Database) -> Result<(), StoreError> {
        let ticket = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let Ok(mut passes) = tokio::time::timeout(db.timeout(), self.passes.lock()).await else {
            return Err(StoreError::timed_out());
        };
        if passes.covered >= ticket {
            // A pass that started after this call was made has already run.
            return Ok(());
        }
        if passes.failed >= ticket {
            return Err(StoreError::timed_out());
        }
        let upto = self.requested.load(Ordering::SeqCst);
        match db.sequence_events().await {
            Ok(sequenced) => {
                passes.covered = upto;
                if sequenced > 0 {
                    self.published.notify_waiters();
                }
                Ok(())
            }
            Err(error) => {
                passes.failed = upto;
                Err(error)
            }
        }
    }

    /// Asks for a pass after a write that has committed, without waiting for it.
    pub fn after_write(&self) {
        self.wanted.notify_one();
    }

    /// The background pass: runs whenever a write asks for one, until `stop` is set (then once
    /// more, for the last writes). A failed pass is logged and tried again shortly: the events
    /// wait for the next pass, and feed readers run one themselves.
    pub async fn run(&self, db: &Database, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            tokio::select! {
                () = self.wanted.notified() => {}
                _ = stop.changed() => {
                    let _ = self.catch_up(db).await;
                    return;
                }
            }
            if let Err(error) = self.catch_up(db).await {
                tracing::warn!(%error, "could not sequence events now; trying again shortly");
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                self.wanted.notify_one();
            }
        }
    }

    /// Resolves when a pass of this process next gives out positions (call `enable` on it
    /// before looking at the feed, so a pass in between is not missed).
    pub fn published(&self) -> tokio::sync::futures::Notified<'_> {
        self.published.notified()
    }
}
