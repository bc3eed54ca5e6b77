/* tslint:disable */
/* eslint-disable */

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
| "DEADLINE"
/** The WebAssembly module could not be loaded; the message says what to fix, and the next call tries again. */
| "LOAD_FAILED";

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
 * The poll is awaited until its answer is complete, never cut at `timeoutMs`: `signal`
 * ends the wait only once `timeoutMs` has passed, and `deadlineMs` (default 15 minutes)
 * in any case (DEADLINE). If the answer carries the key, the promise resolves with it.
 *
 * ```js
 * const answer = await pollAuth(token);
 * if (answer.status === "confirmed") save(answer.username, answer.apiKey);
 * ```
 */
export function pollAuth(token: string, options?: PollOptions): Promise<PollResult>;

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
export function startAuth(email: string, options?: StartOptions): Promise<StartResult>;

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
export function validate(username: string, apiKey: string, options?: RequestOptions): Promise<ValidateResult>;

/**
 * Polls until the user confirms, and resolves with their API key and username.
 *
 * It keeps to TVmaze's pace, slows down after a 429, retries a few transient failures
 * and rejects with DEADLINE after `deadlineMs`; a poll on the wire is never cut at
 * `timeoutMs` (as in {@link pollAuth}), and `onPoll` is told after each pending
 * answer. The rules, with their numbers, are stated once, in the README's "Polling"
 * section; each option's default is on {@link WaitOptions}.
 *
 * ```js
 * const { apiKey, username } = await waitForConfirmation(token, {
 *   signal: controller.signal,
 *   onPoll: ({ attempt, nextPollInMs }) => show(`waiting… (${attempt})`),
 * });
 * ```
 */
export function waitForConfirmation(token: string, options?: WaitOptions): Promise<Credentials>;

