//! The one error type of the library. The JS shell turns it into a `TvmazeAuthError`
//! (a real JS `Error`), so this module stays free of `JsValue`.

/// Declares [`Code`] from one list: each variant with its JS string and its message,
/// then the codes the npm package raises itself. The TypeScript union is made from the
/// same list ([`error_code_union`]); tests/docs/ checks the docs against that union.
macro_rules! codes {
    (
        $($(#[doc = $doc:literal])* $variant:ident = $js:literal, $message:literal;)*
        @package $($(#[doc = $pkg_doc:literal])* $pkg_js:literal;)*
    ) => {
        /// What went wrong, as the stable string codes callers switch on.
        #[derive(Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(test, derive(Debug))]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            #[cfg(test)]
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as JS sees it (`error.code`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $js,)*
                }
            }

            /// A fixed, short human-readable message (`code` is what programs should
            /// read). Static on purpose: no caller or network data is ever interpolated,
            /// so a message can never carry an API key, a token or an email address.
            pub fn message(self) -> &'static str {
                match self {
                    $(Code::$variant => $message,)*
                }
            }
        }

        /// `export type TvmazeAuthErrorCode = …;`, the `.d.ts` union of every code a
        /// `TvmazeAuthError` can carry, as a string literal for src/typescript.rs
        /// (whose custom section wasm-bindgen drops on the host: unused there).
        #[cfg_attr(not(target_arch = "wasm32"), allow(unused_macros))]
        macro_rules! error_code_union {
            () => {
                concat!(
                    "export type TvmazeAuthErrorCode =",
                    $("\n  | \"", $js, "\"",)*
                    $($("\n  /**", $pkg_doc, " */",)* "\n  | \"", $pkg_js, "\"",)*
                    ";"
                )
            };
        }
        #[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
        pub(crate) use error_code_union;
    };
}

codes! {
    /// A caller-supplied argument or option was rejected before anything was sent.
    InvalidArgument = "INVALID_ARGUMENT", "invalid argument or option; nothing was sent";
    /// start: 401, the address exists but is not confirmed.
    EmailNotConfirmed = "EMAIL_NOT_CONFIRMED", "email address not confirmed";
    /// start: 404, no user has this address.
    EmailNotFound = "EMAIL_NOT_FOUND", "no TVmaze user has this email address";
    /// poll: 404, the token is unknown, expired or its key was already handed out.
    TokenNotFound = "TOKEN_NOT_FOUND", "token unknown, expired or used";
    /// validate: 401.
    InvalidCredentials = "INVALID_CREDENTIALS", "invalid username or API key";
    /// 429 from any endpoint.
    RateLimited = "RATE_LIMITED", "rate limited (HTTP 429)";
    /// 5xx from any endpoint.
    ServerError = "SERVER_ERROR", "server error (HTTP 5xx)";
    /// Any other status, or a body that is not the documented JSON.
    BadResponse = "BAD_RESPONSE", "unexpected status or body";
    /// fetch itself failed: refused, dropped, DNS, CORS refusal, a CSP `connect-src`.
    Network = "NETWORK", "network, DNS, CORS or CSP connect-src failure";
    /// The per-request `timeoutMs` passed.
    Timeout = "TIMEOUT", "request timed out";
    /// waitForConfirmation ran past `deadlineMs`.
    Deadline = "DEADLINE", "not confirmed before the deadline";
    /// A session: no key to sign a request with, or the sign-in was cancelled or signed
    /// out (in this tab or another) before a key arrived.
    SignedOut = "SIGNED_OUT", "signed out: no key, or the sign-in was cancelled";
    /// A session's signed request: the user API answered another 4xx than 401 or 429.
    RequestRefused = "REQUEST_REFUSED", "the user API refused the request (HTTP 4xx)";
    @package
    // Raised by the npm package's loader (npm/lazy.js) when the module cannot be
    // loaded, before any wasm runs; the doc line goes into the .d.ts.
    /// The WebAssembly module could not be loaded; the message says what to fix, and the next call tries again.
    "LOAD_FAILED";
}

impl Code {
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
/// costs more of the size budget than it gives (measured in docs/size.md).
pub const INVALID: AuthError = AuthError::new(Code::InvalidArgument);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_strings() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
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
                "SIGNED_OUT",
                "REQUEST_REFUSED",
            ]
        );
    }

    #[test]
    fn only_network_timeout_and_server_errors_are_transient() {
        let transient: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|c| c.is_transient())
            .collect();
        assert_eq!(transient, [Code::ServerError, Code::Network, Code::Timeout]);
    }

    #[test]
    fn message_is_the_code_message() {
        for &code in Code::ALL {
            assert_eq!(AuthError::http(code, 500).message(), code.message());
        }
    }

    #[test]
    fn messages_are_non_empty_and_distinct() {
        for (i, a) in Code::ALL.iter().enumerate() {
            assert!(!a.message().is_empty());
            for b in &Code::ALL[i + 1..] {
                assert_ne!(a.message(), b.message());
            }
        }
    }
}
