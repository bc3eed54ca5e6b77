//! The stand-in's user directory, loaded from a JSON file (default: `users.json`).

use std::path::Path;

use serde::Deserialize;

use crate::secret;

/// The built-in directory, so the binary works from any working directory.
const DEFAULT_USERS: &str = include_str!("../users.json");

/// One TVmaze user as the file describes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRecord {
    email: String,
    username: String,
    premium: u8,
    email_confirmed: bool,
}

/// A user the stand-in knows, with the API key it made up for them at start-up.
#[derive(Debug, Clone)]
pub struct User {
    /// The address `start` looks users up by.
    pub email: String,
    /// The username `poll` hands out and `validate` checks.
    pub username: String,
    /// 0 none, 1 Bronze, 2 Silver, 3 Gold.
    pub premium: u8,
    /// Unconfirmed addresses answer 401 on start, as on TVmaze.
    pub email_confirmed: bool,
    /// Random per run: a client can only learn it through the pairing flow.
    pub api_key: String,
}

/// All users of one run.
#[derive(Debug, Clone)]
pub struct Users {
    users: Vec<User>,
}

impl Users {
    /// Loads the users from `path`, or the built-in list when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Self, String> {
        let text = match path {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            None => DEFAULT_USERS.to_owned(),
        };
        Self::parse(&text)
    }

    fn parse(text: &str) -> Result<Self, String> {
        let records: Vec<UserRecord> =
            serde_json::from_str(text).map_err(|e| format!("bad users file: {e}"))?;
        let mut users = Vec::with_capacity(records.len());
        for record in records {
            if record.premium > 3 {
                return Err(format!(
                    "bad users file: premium of {} must be 0..=3",
                    record.username
                ));
            }
            let api_key = secret::random_url_safe().map_err(|e| format!("no randomness: {e}"))?;
            users.push(User {
                email: record.email,
                username: record.username,
                premium: record.premium,
                email_confirmed: record.email_confirmed,
                api_key,
            });
        }
        Ok(Self { users })
    }

    /// The user with this email address; addresses compare case-insensitively.
    pub fn by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// The user with exactly this username.
    pub fn by_username(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }

    /// Gives `username` a new random API key, as resetting it on TVmaze's dashboard
    /// does: `Ok(false)` for an unknown username.
    pub fn reset_key(&mut self, username: &str) -> Result<bool, getrandom::Error> {
        let Some(user) = self.users.iter_mut().find(|u| u.username == username) else {
            return Ok(false);
        };
        user.api_key = secret::random_url_safe()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_has_the_documented_users() {
        let users = Users::load(None).expect("default users");
        let alice = users.by_email("Alice@Example.com").expect("alice");
        assert_eq!((alice.username.as_str(), alice.premium), ("alice", 2));
        assert!(alice.email_confirmed);
        let bob = users.by_email("bob@example.com").expect("bob");
        assert_eq!((bob.username.as_str(), bob.premium), ("bob", 0));
        assert!(
            !users
                .by_email("carol@example.com")
                .expect("carol")
                .email_confirmed
        );
        assert!(users.by_email("dave@example.com").is_none());
        assert_ne!(alice.api_key, bob.api_key);
    }

    #[test]
    fn a_reset_key_is_a_new_one() {
        let mut users = Users::load(None).expect("default users");
        let before = users.by_username("alice").expect("alice").api_key.clone();
        assert_eq!(users.reset_key("alice").ok(), Some(true));
        assert_ne!(users.by_username("alice").expect("alice").api_key, before);
        assert_eq!(users.reset_key("nobody").ok(), Some(false));
    }

    #[test]
    fn rejects_bad_files() {
        assert!(Users::parse("{").is_err());
        assert!(Users::parse(
            r#"[{"email":"a@b","username":"a","premium":4,"email_confirmed":true}]"#
        )
        .is_err());
    }
}
