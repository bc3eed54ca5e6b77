//! The state handlers share, in parts, so that each handler takes only the part it needs
//! (axum's `FromRef` sub-states): the pairing store, the armed faults, and how the API
//! answers. The fault model depends on none of it.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::FromRef;

use crate::faults::Faults;
use crate::store::Store;

/// The pairing store (users, requests, outbox); cheap to clone.
#[derive(Clone)]
pub struct SharedStore(Arc<Mutex<Store>>);

impl SharedStore {
    /// Shares `store`.
    pub fn new(store: Store) -> Self {
        Self(Arc::new(Mutex::new(store)))
    }

    /// The store, locked. A panic elsewhere must not take every later request down
    /// with it, so a poisoned lock is used as it is (each store call leaves it whole).
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How the API origin answers, from the command line; cheap to clone.
#[derive(Clone)]
pub struct ApiConfig {
    /// Whether 429 answers carry Retry-After (`--retry-after`).
    pub retry_after: bool,
    /// `http://HOST:PORT` where confirm pages are served.
    public_origin: Arc<str>,
}

impl ApiConfig {
    /// Answers with Retry-After on 429s or not, and confirm URLs on `public_origin`.
    pub fn new(retry_after: bool, public_origin: String) -> Self {
        Self {
            retry_after,
            public_origin: public_origin.into(),
        }
    }

    /// The page where the user confirms `token`.
    pub fn confirm_url(&self, token: &str) -> String {
        format!("{}/confirm/{token}", self.public_origin)
    }
}

/// Everything, for building routers; handlers extract the parts below.
#[derive(Clone)]
pub struct AppState {
    /// The pairing store.
    pub store: SharedStore,
    /// Armed faults, per endpoint.
    pub faults: Arc<Faults>,
    /// How the API answers.
    pub config: ApiConfig,
}

impl AppState {
    /// A fresh state over `store`, with no fault armed.
    pub fn new(store: Store, config: ApiConfig) -> Self {
        Self {
            store: SharedStore::new(store),
            faults: Arc::new(Faults::default()),
            config,
        }
    }
}

impl FromRef<AppState> for SharedStore {
    fn from_ref(state: &AppState) -> Self {
        state.store.clone()
    }
}

impl FromRef<AppState> for Arc<Faults> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.faults)
    }
}

impl FromRef<AppState> for ApiConfig {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}
