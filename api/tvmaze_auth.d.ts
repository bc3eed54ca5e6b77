/* tslint:disable */
/* eslint-disable */

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



/**
 * Whether `e` is an error thrown by this library (as opposed to an abort reason or an
 * unrelated error), narrowing its type in TypeScript.
 *
 * ```js
 * try { await startAuth(email); }
 * catch (e) { if (isTvmazeAuthError(e) && e.code === "EMAIL_NOT_FOUND") askAgain(); else throw e; }
 * ```
 */
export function isTvmazeAuthError(e: unknown): e is TvmazeAuthError;

/**
 * Asks once whether the user has confirmed. The first "confirmed" answer carries the
 * API key, and TVmaze never hands it out again: keep it.
 *
 * TVmaze allows one poll per 10 seconds; {@link waitForConfirmation} paces itself.
 * A poll already sent is not aborted by `signal`: if its answer carries the key, the
 * promise resolves with it.
 *
 * ```js
 * const answer = await pollAuth(token);
 * if (answer.status === "confirmed") save(answer.username, answer.apiKey);
 * ```
 */
export function pollAuth(token: string, options?: RequestOptions): Promise<{ status: "pending" } | { status: "confirmed"; apiKey: string; username: string }>;

/**
 * Starts a pairing request for the TVmaze user with this email address.
 *
 * TVmaze emails the user a confirmation link (unless `emailConfirmation` is `false`, in
 * which case send the user to `confirmUrl`). Then call {@link waitForConfirmation} with
 * the token.
 *
 * Rejects with a `TvmazeAuthError`: EMAIL_NOT_CONFIRMED, EMAIL_NOT_FOUND, RATE_LIMITED,
 * INVALID_ARGUMENT, SERVER_ERROR, BAD_RESPONSE, NETWORK or TIMEOUT; or with
 * `signal.reason` when aborted.
 *
 * ```js
 * const { token, confirmUrl } = await startAuth("alice@example.com");
 * ```
 */
export function startAuth(email: string, options?: RequestOptions & { emailConfirmation?: boolean }): Promise<{ token: string; confirmUrl: string }>;

/**
 * Checks a username and API key, and tells the user's premium level
 * (0 none, 1 bronze, 2 silver, 3 gold).
 *
 * Rejects with INVALID_CREDENTIALS when TVmaze refuses them. The key travels only in
 * the `Authorization` header.
 *
 * ```js
 * const { premium, level } = await validate("alice", apiKey);
 * ```
 */
export function validate(username: string, apiKey: string, options?: RequestOptions): Promise<{ premium: 0 | 1 | 2 | 3; level: "none" | "bronze" | "silver" | "gold" }>;

/**
 * Polls until the user confirms, and resolves with their API key and username.
 *
 * The first poll comes `intervalMs` (default 10000) after the call. Against anything
 * but a loopback `baseUrl` the interval is never below 10 s. A 429 lengthens the
 * interval to its Retry-After, or else at least doubles it (up to 60 s), for the rest
 * of the wait. Up to `maxTransientErrors` (default 3) consecutive NETWORK, TIMEOUT or
 * SERVER_ERROR failures are retried; TOKEN_NOT_FOUND (denied, expired or already used)
 * and other errors reject at once; DEADLINE after `deadlineMs` (default 15 minutes).
 * `onPoll` is called after each pending answer; what it throws is ignored.
 *
 * ```js
 * const { apiKey, username } = await waitForConfirmation(token, {
 *   signal: controller.signal,
 *   onPoll: ({ attempt, nextPollInMs }) => show(`waiting… (${attempt})`),
 * });
 * ```
 */
export function waitForConfirmation(token: string, options?: RequestOptions & {
    intervalMs?: number; deadlineMs?: number; maxTransientErrors?: number;
    onPoll?: (progress: { attempt: number; elapsedMs: number; nextPollInMs: number }) => void;
}): Promise<{ apiKey: string; username: string }>;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly isTvmazeAuthError: (a: any) => number;
    readonly pollAuth: (a: any, b: any) => any;
    readonly startAuth: (a: any, b: any) => any;
    readonly validate: (a: any, b: any, c: any) => any;
    readonly waitForConfirmation: (a: any, b: any) => any;
    readonly wasm_bindgen__convert__closures_____invoke__h<hash>: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h<hash>: (a: number, b: number, c: any, d: any) => void;
    readonly wasm_bindgen__convert__closures_____invoke__h<hash>: (a: number, b: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_destroy_closure: (a: number, b: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
