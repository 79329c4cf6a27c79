//! A short memory of API clients' standing (enabled, organisation, role), so most requests learn
//! it without a database read. This process forgets a client the moment it changes one (disabling
//! it, removing its organisation), so here that takes effect at once; a change made through
//! another hub process is seen within [`STANDING_TTL`].

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use claims_persistence::records::ClientStatus;

/// How long a client's standing is taken as read.
pub const STANDING_TTL: Duration = Duration::from_secs(1);

/// Past this many entries, expired ones are dropped when a new one is added.
const TIDY_ABOVE: usize = 4_096;

#[derive(Default)]
pub struct Standings {
    known: RwLock<HashMap<String, (Instant, ClientStatus)>>,
}

impl Standings {
    /// The client's standing, if it was read within the last [`STANDING_TTL`].
    pub fn get(&self, client_id: &str) -> Option<ClientStatus> {
        let known = self.known.read().unwrap_or_else(|p| p.into_inner());
        known.get(client_id).filter(|(read_at, _)| read_at.elapsed() < STANDING_TTL).map(|(_, s)| s.clone())
    }

    /// Notes a standing just read from the database.
    pub fn put(&self, status: ClientStatus) {
        let mut known = self.known.write().unwrap_or_else(|p| p.into_inner());
        if known.len() >= TIDY_ABOVE {
            known.retain(|_, (read_at, _)| read_at.elapsed() < STANDING_TTL);
        }
        known.insert(status.client_id.clone(), (Instant::now(), status));
    }

    /// Forgets every client: after a change to clients or organisations made by this process.
    pub fn forget_all(&self) {
        self.known.write().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
