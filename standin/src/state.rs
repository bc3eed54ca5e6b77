//! What every API-origin handler shares.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::faults::Faults;
use crate::store::Store;

/// Shared state of the API origin; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    /// Armed faults, per endpoint.
    pub faults: Arc<Faults>,
    /// Whether 429 answers carry Retry-After (`--retry-after`).
    pub retry_after: bool,
    /// `http://HOST:PORT` of the API origin, for confirm URLs.
    pub api_origin: Arc<str>,
}

impl AppState {
    /// State over `store`, answering for the API origin `api_origin`.
    pub fn new(store: Store, retry_after: bool, api_origin: String) -> Self {
        Self {
            store: Arc::new(Mutex::new(store)),
            faults: Arc::new(Faults::default()),
            retry_after,
            api_origin: api_origin.into(),
        }
    }

    /// The store, locked. A panic elsewhere must not take every later request down
    /// with it, so a poisoned lock is used as it is (each store call leaves it whole).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The page where the user confirms `token`.
    pub fn confirm_url(&self, token: &str) -> String {
        format!("{}/confirm/{token}", self.api_origin)
    }
}
