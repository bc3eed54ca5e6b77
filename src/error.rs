//! The one error type of the library. The JS shell turns it into a `TvmazeAuthError`
//! (a real JS `Error`), so this module stays free of `JsValue`.

/// What went wrong, as the stable string codes callers switch on.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Code {
    /// A caller-supplied argument or option was rejected before anything was sent.
    InvalidArgument,
    /// start: 401, the address exists but is not confirmed.
    EmailNotConfirmed,
    /// start: 404, no user has this address.
    EmailNotFound,
    /// poll: 404, the token is unknown, expired or its key was already handed out.
    TokenNotFound,
    /// validate: 401.
    InvalidCredentials,
    /// 429 from any endpoint.
    RateLimited,
    /// 5xx from any endpoint.
    ServerError,
    /// Any other status, or a body that is not the documented JSON.
    BadResponse,
    /// fetch itself failed: refused, dropped, DNS, CORS refusal.
    Network,
    /// The per-request `timeoutMs` passed.
    Timeout,
    /// waitForConfirmation ran past `deadlineMs`.
    Deadline,
}

impl Code {
    /// The code as JS sees it (`error.code`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::EmailNotConfirmed => "EMAIL_NOT_CONFIRMED",
            Code::EmailNotFound => "EMAIL_NOT_FOUND",
            Code::TokenNotFound => "TOKEN_NOT_FOUND",
            Code::InvalidCredentials => "INVALID_CREDENTIALS",
            Code::RateLimited => "RATE_LIMITED",
            Code::ServerError => "SERVER_ERROR",
            Code::BadResponse => "BAD_RESPONSE",
            Code::Network => "NETWORK",
            Code::Timeout => "TIMEOUT",
            Code::Deadline => "DEADLINE",
        }
    }

    /// A fixed, short human-readable message (`code` is what programs should read).
    /// Static on purpose: no caller or network data is ever interpolated, so a message
    /// can never carry an API key, a token or an email address.
    pub fn message(self) -> &'static str {
        match self {
            Code::InvalidArgument => "invalid argument or option; nothing was sent",
            Code::EmailNotConfirmed => "email address not confirmed",
            Code::EmailNotFound => "no TVmaze user has this email address",
            Code::TokenNotFound => "token unknown, expired or used",
            Code::InvalidCredentials => "invalid username or API key",
            Code::RateLimited => "rate limited (HTTP 429)",
            Code::ServerError => "server error (HTTP 5xx)",
            Code::BadResponse => "unexpected status or body",
            Code::Network => "network, DNS or CORS failure",
            Code::Timeout => "request timed out",
            Code::Deadline => "not confirmed before the deadline",
        }
    }

    /// Whether waitForConfirmation may retry after this error (within its budget).
    pub fn is_transient(self) -> bool {
        matches!(self, Code::Network | Code::Timeout | Code::ServerError)
    }
}

/// An error code plus what the HTTP answer told us, if there was one.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct AuthError {
    /// The stable code.
    pub code: Code,
    /// The HTTP status, whenever there was an HTTP response.
    pub status: Option<u16>,
    /// From a 429's Retry-After header, when it had a usable one.
    pub retry_after_ms: Option<u64>,
}

impl AuthError {
    /// An error that had no HTTP response (argument checks, network, timeout, deadline).
    pub const fn new(code: Code) -> Self {
        AuthError {
            code,
            status: None,
            retry_after_ms: None,
        }
    }

    /// The JS error's `message`: fixed text, never caller or network data, so it can
    /// never carry an API key, a token or an email address.
    pub fn message(&self) -> &'static str {
        self.code.message()
    }

    /// An error caused by an HTTP answer with `status`.
    pub const fn http(code: Code, status: u16) -> Self {
        AuthError {
            status: Some(status),
            ..AuthError::new(code)
        }
    }
}

/// Shorthand for the argument checks. The message does not name the argument: that
/// measured 450 B gz, more than the size budget had left (see README, "Size").
pub const INVALID: AuthError = AuthError::new(Code::InvalidArgument);

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Code; 11] = [
        Code::InvalidArgument,
        Code::EmailNotConfirmed,
        Code::EmailNotFound,
        Code::TokenNotFound,
        Code::InvalidCredentials,
        Code::RateLimited,
        Code::ServerError,
        Code::BadResponse,
        Code::Network,
        Code::Timeout,
        Code::Deadline,
    ];

    #[test]
    fn codes_are_the_documented_strings() {
        let names: Vec<&str> = ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "INVALID_ARGUMENT",
                "EMAIL_NOT_CONFIRMED",
                "EMAIL_NOT_FOUND",
                "TOKEN_NOT_FOUND",
                "INVALID_CREDENTIALS",
                "RATE_LIMITED",
                "SERVER_ERROR",
                "BAD_RESPONSE",
                "NETWORK",
                "TIMEOUT",
                "DEADLINE",
            ]
        );
    }

    #[test]
    fn only_network_timeout_and_server_errors_are_transient() {
        let transient: Vec<Code> = ALL.into_iter().filter(|c| c.is_transient()).collect();
        assert_eq!(transient, [Code::ServerError, Code::Network, Code::Timeout]);
    }

    #[test]
    fn message_is_the_code_message() {
        for code in ALL {
            assert_eq!(AuthError::http(code, 500).message(), code.message());
        }
    }

    #[test]
    fn messages_are_non_empty_and_distinct() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(!a.message().is_empty());
            for b in &ALL[i + 1..] {
                assert_ne!(a.message(), b.message());
            }
        }
    }
}
