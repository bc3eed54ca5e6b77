//! The slice of TVmaze's user API that a session's signed requests are tested against
//! (../shared/spec/tvmaze-user-api.md restates TVmaze's spec): the followed shows,
//! `GET /v1/user/follows/shows` (`?embed=show`) and `GET|PUT|DELETE
//! /v1/user/follows/shows/{show_id}`, behind HTTP Basic with the username and the API
//! key the pairing handed out. A bad key is a 401 (as TVmaze answers once the user
//! reset their key: `POST /_standin/reset-key/{username}` does that here); a free
//! account is a 403, the user API being for premium users (TVmaze's spec names no
//! status for it).
//!
//! Its own router and state (who follows what), registered by `api::router`; the key
//! reset is a test helper, registered with the others (helpers.rs).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::basic_auth;
use crate::error_body::tvmaze_error;
use crate::state::SharedStore;

/// The shows that exist here (id and name, as on TVmaze): a PUT of any other id is a
/// 404, "no such show".
const SHOWS: [(u32, &str); 8] = [
    (1, "Under the Dome"),
    (66, "The Big Bang Theory"),
    (82, "Game of Thrones"),
    (169, "Breaking Bad"),
    (335, "Sherlock"),
    (431, "Friends"),
    (526, "The Office"),
    (1371, "Westworld"),
];

/// At most this many follows per user, so a runaway client cannot grow memory.
const MAX_FOLLOWS: usize = SHOWS.len();

/// The user API's state: the accounts (through the shared store) and who follows what.
#[derive(Clone)]
pub struct UserApi {
    store: SharedStore,
    follows: Arc<Mutex<HashMap<String, BTreeSet<u32>>>>,
}

/// The user API's routes, with their own state.
pub fn router(store: SharedStore) -> Router {
    let state = UserApi {
        store,
        follows: Arc::default(),
    };
    Router::new()
        .route("/v1/user/follows/shows", get(list))
        .route(
            "/v1/user/follows/shows/{show_id}",
            get(show).put(follow).delete(unfollow),
        )
        .with_state(state)
}

/// Why a request is refused before it is looked at.
enum Refused {
    /// Bad or no credentials, or a key that was reset: 401.
    Credentials,
    /// A free account: 403.
    NotPremium,
    /// A show id that is not a number: an unknown route, 404.
    NoSuchRoute,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Credentials => tvmaze_error(
                StatusCode::UNAUTHORIZED,
                "Your request was made with invalid credentials.",
            ),
            Refused::NotPremium => tvmaze_error(
                StatusCode::FORBIDDEN,
                "The user API is for premium accounts.",
            ),
            Refused::NoSuchRoute => tvmaze_error(StatusCode::NOT_FOUND, "Page not found."),
        }
    }
}

impl UserApi {
    /// The username whose credentials `headers` carry, if they may use the user API.
    fn user(&self, headers: &HeaderMap) -> Result<String, Refused> {
        let credentials = basic_auth::credentials(headers);
        let premium = credentials
            .as_ref()
            .and_then(|c| self.store.lock().premium_of(&c.username, &c.password));
        match (credentials, premium) {
            (Some(c), Some(p)) if p > 0 => Ok(c.username),
            (Some(_), Some(_)) => Err(Refused::NotPremium),
            _ => Err(Refused::Credentials),
        }
    }

    /// The user and the show id of a request for one show.
    fn user_and_show(&self, headers: &HeaderMap, raw: &str) -> Result<(String, u32), Refused> {
        let user = self.user(headers)?;
        let id = raw.parse::<u32>().map_err(|_| Refused::NoSuchRoute)?;
        Ok((user, id))
    }

    /// `f` over `username`'s follows. A panic elsewhere must not take every later
    /// request down, so a poisoned lock is used as it is.
    fn with_follows<T>(&self, username: &str, f: impl FnOnce(&mut BTreeSet<u32>) -> T) -> T {
        let mut all = self.follows.lock().unwrap_or_else(PoisonError::into_inner);
        f(all.entry(username.to_owned()).or_default())
    }
}

fn followed(id: u32, embed: bool) -> Value {
    let mut value = json!({ "show_id": id });
    if embed {
        let name = SHOWS.iter().find(|(s, _)| *s == id).map(|(_, n)| *n);
        value["_embedded"] = json!({ "show": { "id": id, "name": name } });
    }
    value
}

/// `GET /v1/user/follows/shows`: every followed show, by id.
async fn list(State(api): State<UserApi>, headers: HeaderMap, uri: Uri) -> Response {
    let user = match api.user(&headers) {
        Ok(user) => user,
        Err(refused) => return refused.into_response(),
    };
    let embed = uri
        .query()
        .is_some_and(|q| q.split('&').any(|pair| pair == "embed=show"));
    let ids: Vec<u32> = api.with_follows(&user, |f| f.iter().copied().collect());
    Json(
        ids.into_iter()
            .map(|id| followed(id, embed))
            .collect::<Vec<_>>(),
    )
    .into_response()
}

/// `GET /v1/user/follows/shows/{show_id}`: 200 if followed, else 404.
async fn show(State(api): State<UserApi>, headers: HeaderMap, Path(raw): Path<String>) -> Response {
    let (user, id) = match api.user_and_show(&headers, &raw) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if api.with_follows(&user, |f| f.contains(&id)) {
        Json(followed(id, false)).into_response()
    } else {
        tvmaze_error(StatusCode::NOT_FOUND, "You are not following this show.")
    }
}

/// `PUT /v1/user/follows/shows/{show_id}`: now followed (200), or 404 for no such show.
async fn follow(
    State(api): State<UserApi>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Response {
    let (user, id) = match api.user_and_show(&headers, &raw) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if !SHOWS.iter().any(|(s, _)| *s == id) {
        return tvmaze_error(StatusCode::NOT_FOUND, "Show not found.");
    }
    api.with_follows(&user, |f| {
        if f.len() < MAX_FOLLOWS {
            f.insert(id);
        }
    });
    Json(followed(id, false)).into_response()
}

/// `DELETE /v1/user/follows/shows/{show_id}`: now unfollowed (200, no body), or 404 if
/// it was not followed.
async fn unfollow(
    State(api): State<UserApi>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Response {
    let (user, id) = match api.user_and_show(&headers, &raw) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if api.with_follows(&user, |f| f.remove(&id)) {
        StatusCode::OK.into_response()
    } else {
        tvmaze_error(StatusCode::NOT_FOUND, "You are not following this show.")
    }
}

/// `POST /_standin/reset-key/{username}`: gives the user a new API key, as a user
/// resetting theirs on TVmaze's dashboard does; every request with the old key then
/// answers 401. 204, or 404 for an unknown username.
pub async fn reset_key(State(store): State<SharedStore>, Path(username): Path<String>) -> Response {
    match store.lock().reset_key(&username) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => tvmaze_error(StatusCode::NOT_FOUND, "No such user."),
        Err(_) => tvmaze_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "No randomness available; try again.",
        ),
    }
}
