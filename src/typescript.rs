//! The TypeScript types the exports refer to. The function signatures themselves come
//! from `unchecked_param_type` / `unchecked_return_type` in lib.rs, so the generated
//! `.d.ts` has no `any`; api/tvmaze_auth.d.ts is the reviewed copy it is checked against.
//! The error code union is made from the list in src/error.rs.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = concat!(
    r#"
/** Options every function accepts. */
export interface RequestOptions {
  /**
   * API root; default "https://api.tvmaze.com/v1". Must be https, except loopback hosts
   * over http. On a page or in a Worker it may also be a same-origin path such as
   * "/tvmaze/v1", resolved against `location` (then the same rules apply to the result).
   */
  baseUrl?: string;
  /**
   * Aborting rejects with `signal.reason`, except for a poll already sent: its answer may
   * hold the only copy of the key, so it is still awaited until `timeoutMs` has passed.
   */
  signal?: AbortSignal;
  /**
   * startAuth and validate: per-request timeout in ms (default 30000), then TIMEOUT. A poll
   * is never cut at its timeout: until then not even `signal` ends it; `deadlineMs` does.
   */
  timeoutMs?: number;
}

/** Options of {@link startAuth}. */
export interface StartOptions extends RequestOptions {
  /** true (default): TVmaze emails the user a link; false: send the user to `confirmUrl`. */
  emailConfirmation?: boolean;
}

/** Options of {@link pollAuth}. */
export interface PollOptions extends RequestOptions {
  /** The longest the poll is awaited, in ms (default 15 minutes); then DEADLINE. */
  deadlineMs?: number;
}

/** What {@link WaitOptions.onPoll} is told after each pending answer. */
export interface PollProgress {
  /** Polls sent so far, this one included. */
  attempt: number;
  /** Milliseconds since waitForConfirmation was called. */
  elapsedMs: number;
  /** Milliseconds until the next poll. */
  nextPollInMs: number;
}

/** Options of {@link waitForConfirmation}. */
export interface WaitOptions extends PollOptions {
  /** Milliseconds between polls (default 10000; never below 10000 unless the API is loopback). */
  intervalMs?: number;
  /** Milliseconds the whole wait may take (default 15 minutes); then DEADLINE. */
  deadlineMs?: number;
  /** Consecutive NETWORK or SERVER_ERROR failures retried (default 3). */
  maxTransientErrors?: number;
  /** Called after each pending answer; what it throws (or its promise rejects with) is ignored. */
  onPoll?: (progress: PollProgress) => void | Promise<void>;
}

/** What {@link startAuth} resolves with. */
export interface StartResult {
  /** Pass it to {@link waitForConfirmation} or {@link pollAuth}. */
  token: string;
  /** Where the user confirms (when `emailConfirmation` is false). */
  confirmUrl: string;
}

/** The user's API key and username: TVmaze hands them out once, so keep them. */
export interface Credentials {
  apiKey: string;
  username: string;
}

/** What {@link pollAuth} resolves with: not yet, or the credentials. */
export type PollResult = { status: "pending" } | ({ status: "confirmed" } & Credentials);

/** What {@link validate} resolves with: the premium level as a number and by name. */
export interface ValidateResult {
  premium: 0 | 1 | 2 | 3;
  level: "none" | "bronze" | "silver" | "gold";
}

/** The `code` of a {@link TvmazeAuthError}. */
"#,
    crate::error::error_code_union!(),
    r#"

/** Every rejection of this library, except an abort (which rejects with `signal.reason`). */
export interface TvmazeAuthError extends Error {
  name: "TvmazeAuthError";
  code: TvmazeAuthErrorCode;
  /** The HTTP status, whenever there was an HTTP response. */
  status?: number;
  /** For RATE_LIMITED: the server's Retry-After, in ms, when it sent a usable one. */
  retryAfterMs?: number;
}
"#
);
