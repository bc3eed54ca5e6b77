/* tslint:disable */
/* eslint-disable */

/** A session's state: no key, a pairing in progress, or signed in. */
export type SessionState = "signed-out" | "pending" | "signed-in";

/**
 * Why a session was signed out: `signOut()` here ("user") or in another tab
 * ("other-tab"); TVmaze refused the key, as after the user reset it ("revoked"); the
 * pairing ended without a key: denied, expired or past `deadlineMs` ("expired").
 */
export type SignOutReason = "user" | "revoked" | "other-tab" | "expired";

/** Options of {@link openSession}. */
export interface SessionOptions {
    /** The API root, as every function's `baseUrl` (default "https://api.tvmaze.com/v1"). */
    baseUrl?: string;
    /**
     * Where the key and a pending pairing are kept. "local" (default): localStorage, so every
     * tab of the origin, also after the browser restarts. "session": sessionStorage, so this tab
     * and its reloads; other open tabs still share sign-in and sign-out. "memory": this page
     * only; nothing is persisted and other tabs are not told.
     */
    storage?: "local" | "session" | "memory";
    /** A namespace for the storage key, the BroadcastChannel and the locks (default "tvmaze-auth"). */
    name?: string;
}

/** A signed-in user: the key, whose username it is, and the premium level by name. */
export interface SessionCredentials {
    username: string;
    apiKey: string;
    level: "none" | "bronze" | "silver" | "gold";
}

/** The pairing in progress. */
export interface PendingSignIn {
    /** The address it was started for. */
    email: string;
    /** Where the user confirms it (only ever https, or http on a loopback API). */
    confirmUrl: string;
    /** When it started, in ms since the epoch. */
    startedAt: number;
}

/** Options of {@link TvmazeSession.resume}. */
export interface ResumeOptions {
    /**
     * Aborting rejects with `signal.reason` and gives the pairing up in every tab (signed out,
     * reason "user"), unless its key has already arrived, which is always kept.
     */
    signal?: AbortSignal;
    /**
     * Called after each pending answer of the pairing (whichever tab polled it), with the
     * pairing's own count; what it throws is ignored.
     */
    onPoll?: (progress: PollProgress) => void | Promise<void>;
}

/** Options of {@link TvmazeSession.signIn}. */
export interface SignInOptions extends ResumeOptions {
    /** true (default): TVmaze emails the user a link; false: send the user to `pending.confirmUrl`. */
    emailConfirmation?: boolean;
    /** Milliseconds between polls of a new pairing (default 10000; never below 10000 unless loopback). */
    intervalMs?: number;
    /** How long a new pairing may take, in ms (default 15 minutes); then it expires. */
    deadlineMs?: number;
}

/** The methods of TVmaze's user API. */
export type UserApiMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/** Options of {@link TvmazeSession.fetch}. */
export interface SessionFetchInit {
    /** Default "GET". */
    method?: UserApiMethod;
    /** Sent as JSON (`JSON.stringify`d), with `Content-Type: application/json`. */
    body?: unknown;
    /** Aborting rejects with `signal.reason`. */
    signal?: AbortSignal;
    /** Per-request timeout in ms (default 30000), then TIMEOUT. */
    timeoutMs?: number;
}

/** The `change` event of a {@link TvmazeSession}. */
export interface TvmazeSessionChangeEvent extends Event {
    /** The state now. */
    readonly state: SessionState;
    /** On sign-out, why; otherwise undefined. */
    readonly reason: SignOutReason | undefined;
}

/** The events of a {@link TvmazeSession}, by type. */
export interface TvmazeSessionEventMap {
    change: TvmazeSessionChangeEvent;
}

/** `addEventListener`'s options. */
export interface SessionListenerOptions {
    capture?: boolean;
    once?: boolean;
    passive?: boolean;
    signal?: AbortSignal;
}

/**
 * A sign-in session (see {@link openSession}): one key per origin and `name`, shared by
 * every tab, surviving reloads; at most one tab polls a pairing at a time.
 */
export interface TvmazeSession extends EventTarget {
    /** "signed-out" until {@link TvmazeSession.ready} has read storage. */
    readonly state: SessionState;
    /** The signed-in user, or null. */
    readonly credentials: SessionCredentials | null;
    /** The pairing in progress, or null. */
    readonly pending: PendingSignIn | null;
    /**
     * Resolves once the stored state has been read (a `change` event follows if it is not
     * signed out). A pending pairing found there is resumed: polled by one tab, until it ends.
     */
    readonly ready: Promise<void>;
    /**
     * Signs in: resolves at once if signed in; joins the pairing in progress for this email
     * (after a reload, in a duplicated tab, in another tab); else starts a new one (replacing
     * one for another email). Polls under the session's pace, validates the key, stores it and
     * tells every tab. Rejects like startAuth; with TOKEN_NOT_FOUND or DEADLINE when the pairing
     * expires, SIGNED_OUT when it is cancelled or signed out in any tab, or a poll's error past
     * the transient budget (the pairing stays and is still polled).
     */
    signIn(email: string, options?: SignInOptions): Promise<SessionCredentials>;
    /**
     * The outcome of the pairing in progress, as {@link TvmazeSession.signIn} gives it (for a
     * page that reloaded or came back mid-wait); the credentials when signed in; null when
     * signed out.
     */
    resume(options?: ResumeOptions): Promise<SessionCredentials | null>;
    /** Forgets the key and any pending pairing, in every tab (reason "user" here, "other-tab" elsewhere). */
    signOut(): Promise<void>;
    /**
     * A request to TVmaze's user API (`path` starts with "/user/" or "/scrobble/"), signed with
     * the stored key by HTTP Basic, under the same rules as every call (timeout, body cap, no
     * redirects). Resolves with the parsed JSON of a 2xx answer, or null when it has none (a
     * DELETE). Rejects with SIGNED_OUT (no key: nothing sent), INVALID_CREDENTIALS on a 401 (the
     * session is then signed out in every tab, reason "revoked"), REQUEST_REFUSED on another 4xx
     * (`status` says which), RATE_LIMITED, SERVER_ERROR, BAD_RESPONSE, NETWORK, TIMEOUT or
     * INVALID_ARGUMENT (nothing sent).
     */
    fetch<T = unknown>(path: string, init?: SessionFetchInit): Promise<T>;
    /** Stops this object's events; the last session of a name in the page lets go of the other tabs. */
    close(): void;
    addEventListener<K extends keyof TvmazeSessionEventMap>(
    type: K,
    listener: ((this: TvmazeSession, event: TvmazeSessionEventMap[K]) => void) | null,
    options?: boolean | SessionListenerOptions,
    ): void;
    addEventListener(
    type: string,
    listener: ((event: Event) => void) | { handleEvent(event: Event): void } | null,
    options?: boolean | SessionListenerOptions,
    ): void;
    removeEventListener<K extends keyof TvmazeSessionEventMap>(
    type: K,
    listener: ((this: TvmazeSession, event: TvmazeSessionEventMap[K]) => void) | null,
    options?: boolean | { capture?: boolean },
    ): void;
    removeEventListener(
    type: string,
    listener: ((event: Event) => void) | { handleEvent(event: Event): void } | null,
    options?: boolean | { capture?: boolean },
    ): void;
}

/**
 * Opens the sign-in session `name` kept in `storage`: its state is read from storage, and a
 * pending pairing found there is resumed. In Node, `storage: "memory"` (nothing else is there).
 *
 * ```js
 * const session = openSession();
 * session.addEventListener("change", (e) => render(e.state, e.reason));
 * const { username, level } = await session.signIn("alice@example.com");
 * const shows = await session.fetch("/user/follows/shows");
 * ```
 */
export function openSession(options?: SessionOptions): TvmazeSession;



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
| "SIGNED_OUT"
| "REQUEST_REFUSED"
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

