//! The TypeScript types the exports refer to. The function signatures themselves come
//! from `unchecked_param_type` / `unchecked_return_type` in lib.rs, so the generated
//! `.d.ts` has no `any`; api/tvmaze_auth.d.ts is the reviewed copy it is checked against.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options every function accepts. */
export interface RequestOptions {
  /** API root; default "https://api.tvmaze.com/v1". Must be https, except loopback hosts over http. */
  baseUrl?: string;
  /** Aborting rejects with `signal.reason`, except that a poll already sent is always read. */
  signal?: AbortSignal;
  /** Per-request timeout in ms (default 30000); on expiry the call rejects with TIMEOUT. */
  timeoutMs?: number;
}

/** The `code` of a {@link TvmazeAuthError}. */
export type TvmazeAuthErrorCode =
  | "INVALID_ARGUMENT"
  | "EMAIL_NOT_CONFIRMED"
  | "EMAIL_NOT_FOUND"
  | "TOKEN_NOT_FOUND"
  | "INVALID_CREDENTIALS"
  | "RATE_LIMITED"
  | "SERVER_ERROR"
  | "BAD_RESPONSE"
  | "NETWORK"
  | "TIMEOUT"
  | "DEADLINE";

/** Every rejection of this library, except an abort (which rejects with `signal.reason`). */
export interface TvmazeAuthError extends Error {
  name: "TvmazeAuthError";
  code: TvmazeAuthErrorCode;
  /** The HTTP status, whenever there was an HTTP response. */
  status?: number;
  /** For RATE_LIMITED: the server's Retry-After, in ms, when it sent a usable one. */
  retryAfterMs?: number;
}
"#;
