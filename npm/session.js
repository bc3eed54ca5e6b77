// openSession(): a sign-in session that survives reloads, duplicated tabs and sign-out,
// with one poller per pairing across tabs. This file only binds the platform: storage,
// the `storage` event, BroadcastChannel, Web Locks, timers and the change events. Every
// decision is the Rust core's (src/session/): each thing that happens goes to
// __sessionStep, and this file does what the step says, in this order: hold the new
// record, store it, announce it to other tabs, report the change, then act (start,
// poll, wait, validate). The protocol runs through the package's own startAuth,
// pollAuth and validate, and a signed request through __userRequest, so timeouts, the
// body cap, no redirects, 429 pacing and the one-time key's rules all hold here too.
//
// Plain JavaScript checked by TypeScript (npm/tsconfig.json: checkJs, strict); shipped
// next to tvmaze_auth.js, whose exports it imports and which re-exports openSession.
import * as glue from "./tvmaze_auth.js";

/**
 * @import { PendingSignIn, PollProgress, ResumeOptions, SessionCredentials,
 *   SessionFetchInit, SessionOptions, SessionState, SignInOptions, SignOutReason,
 *   TvmazeSession, TvmazeAuthError } from "./tvmaze_auth.js"
 */

/**
 * What __sessionStep resolves with (src/session/shell.rs).
 * @typedef {{
 *   record: string, persist: boolean, announce: boolean, state: SessionState,
 *   credentials?: SessionCredentials, pending?: PendingSignIn, token?: string,
 *   change?: { state: SessionState, reason?: SignOutReason },
 *   next: { do: "idle" | "start" | "resolve" | "wait" | "poll" | "validate", ms?: number,
 *     deadlineMs?: number, username?: string, apiKey?: string },
 *   progress?: PollProgress, error?: TvmazeAuthError
 * }} Step
 */

/**
 * The wasm exports this shell calls that are not part of the public API.
 * @typedef {{
 *   __sessionStep(record: string | null, event: object, options: object): Promise<Step>,
 *   __userRequest(username: string | null, apiKey: string | null, path: unknown, options: object): Promise<unknown>,
 * }} Internals
 */
/**
 * The internal exports, read from the glue's namespace at each call, never held in a
 * top-level binding: the glue and this module import each other, and a bundler (Rollup,
 * so Vite's build) may evaluate this module before the namespace it binds exists.
 */
const core = () => /** @type {Internals} */ (/** @type {unknown} */ (glue));

/** A store for the record: the chosen Web Storage area, or this page's memory. */
/** @typedef {{ kind: "local" | "session" | "memory", read(): string | null, write(text: string): void }} Store */

/**
 * A sign-in waiting for its outcome, and the token of the pairing it waits for.
 * @typedef {{ resolve(c: SessionCredentials): void, reject(e: unknown): void, onPoll?: SignInOptions["onPoll"], token?: string }} Waiter
 */

/** @type {Map<string, Hub>} The hubs of this page: sessions opened alike share one. */
const hubs = new Map();

/**
 * A TvmazeAuthError made here, for what is checked before the core is reached.
 * @param {string} message
 */
function invalid(message) {
  return Object.assign(new Error(`tvmaze-auth: ${message}`), { name: "TvmazeAuthError", code: "INVALID_ARGUMENT" });
}

/**
 * Opens the session `name` (default "tvmaze-auth") kept in `storage` (default "local").
 * Sessions opened in one page with the same options share their state; other tabs of
 * the origin share it through storage, BroadcastChannel and Web Locks.
 * @param {SessionOptions} [options]
 * @returns {TvmazeSession}
 */
export function openSession(options) {
  const { baseUrl, storage = "local", name = "tvmaze-auth" } = options ?? {};
  if (storage !== "local" && storage !== "session" && storage !== "memory") {
    throw invalid('storage must be "local", "session" or "memory"');
  }
  if (typeof name !== "string" || name.length === 0 || name.length > 200) {
    throw invalid("name must be a non-empty string of at most 200 characters");
  }
  if (baseUrl !== undefined && typeof baseUrl !== "string") throw invalid("baseUrl must be a string");
  const id = JSON.stringify([storage, name, baseUrl ?? null]);
  let hub = hubs.get(id);
  if (!hub) {
    hub = new Hub(id, storage, name, baseUrl);
    hubs.set(id, hub);
  }
  return new Session(hub);
}

/** The `change` event: the new state and, on sign-out, why. */
class SessionChangeEvent extends Event {
  /**
   * @param {SessionState} state
   * @param {SignOutReason | undefined} reason
   */
  constructor(state, reason) {
    super("change");
    /** @readonly */
    this.state = state;
    /** @readonly */
    this.reason = reason;
  }
}

/** @param {unknown} e */
const isAuthError = (e) => e instanceof Error && e.name === "TvmazeAuthError";

/**
 * @param {string} key
 * @param {"local" | "session"} kind
 * @returns {Store | null} null where the area cannot be used at all
 */
function webStore(key, kind) {
  /** @type {Storage | null | undefined} */
  let area;
  try {
    area = kind === "local" ? globalThis.localStorage : globalThis.sessionStorage;
    area?.getItem(key);
  } catch {
    area = null; // disabled (a SecurityError), or absent (a Worker, Node)
  }
  if (!area) return null;
  const where = area;
  return {
    kind,
    read() {
      try {
        return where.getItem(key);
      } catch {
        return null;
      }
    },
    write(text) {
      where.setItem(key, text); // may throw when full: the hub degrades to memory
    },
  };
}

/** @returns {Store} */
function memoryStore() {
  /** @type {string | null} */
  let value = null;
  return {
    kind: "memory",
    read: () => value,
    write(text) {
      value = text;
    },
  };
}

/** The state of one session name in this page, and its connections to other tabs. */
class Hub {
  /**
   * @param {string} id
   * @param {"local" | "session" | "memory"} storage
   * @param {string} name
   * @param {string | undefined} baseUrl
   */
  constructor(id, storage, name, baseUrl) {
    this.id = id;
    this.name = name;
    this.options = { baseUrl };
    /** Whether other tabs take part: only "memory" keeps to this page. */
    this.shared = storage !== "memory";
    /** This page's id, recorded as a pairing's poller (see the core's lease). */
    this.me = Math.random().toString(36).slice(2, 12) || "tab";
    this.key = `${name}/session`;
    /** @type {Store} */
    this.store = (storage !== "memory" && webStore(this.key, storage)) || memoryStore();
    if (storage !== "memory" && this.store.kind === "memory") this.degrade(storage, "it is not available here");
    /** @type {string | null} */
    this.record = null;
    /** @type {Step | null} */
    this.view = null;
    /** @type {Set<Session>} */
    this.sessions = new Set();
    /** @type {Set<Waiter>} */
    this.waiters = new Set();
    /** @type {Set<() => void>} */
    this.sleepers = new Set();
    /** Steps run one at a time, in order. @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** The token this page polls (or waits for the lock of). @type {string | null} */
    this.polling = null;
    this.closed = new AbortController();
    /** @type {BroadcastChannel | null} */
    this.channel = null;
    if (this.shared && typeof BroadcastChannel === "function") {
      this.channel = new BroadcastChannel(this.key);
      this.channel.onmessage = (e) => this.onMessage(e.data);
    }
    this.onStorage = (/** @type {StorageEvent} */ e) => {
      if (e.key === this.key || e.key === null) this.seen(this.store.read(), false);
    };
    if (this.shared) globalThis.addEventListener?.("storage", this.onStorage);
    /** @type {Promise<void> | null} */
    this.opening = null;
    this.open().catch(() => {});
  }

  /** Reads storage into the core once; a failure (no module yet) is retried by the next use. */
  open() {
    this.opening ??= (async () => {
      const out = await this.step({ type: "open", value: this.store.read() });
      if (out.state !== "signed-out") this.dispatch(out.state, undefined);
    })().catch((e) => {
      this.opening = null;
      throw e;
    });
    return this.opening;
  }

  /**
   * Runs one step of the core after the ones before it, and does what it says. With
   * `own`, its error belongs to the caller (a sign-in's bad argument), not to every
   * sign-in waiting.
   * @param {object} event
   * @param {boolean} [own]
   * @returns {Promise<Step>}
   */
  step(event, own = false) {
    const run = async () => {
      const out = await core().__sessionStep(this.record, event, this.options);
      this.apply(out, own);
      return out;
    };
    const done = this.queue.then(run, run);
    this.queue = done.catch(() => {});
    return done;
  }

  /**
   * @param {Step} out
   * @param {boolean} own
   */
  apply(out, own) {
    this.record = out.record;
    this.view = out;
    // Stored before it is announced, and both before anyone is told: a tab closing
    // right after this loses nothing it was told about.
    if (out.persist) this.persist(out.record);
    if (out.announce && this.channel) {
      // Other tabs read shared localStorage themselves; a store they cannot read (this
      // tab's sessionStorage, or memory after a full localStorage) travels in the message.
      this.channel.postMessage(this.store.kind === "local" ? {} : { record: out.record });
    }
    if (out.progress) for (const w of this.waiters) report(w, out.progress);
    if (out.change) {
      this.dispatch(out.change.state, out.change.reason);
      for (const wake of [...this.sleepers]) wake();
    }
    const credentials = out.credentials;
    if (out.change?.state === "signed-in" && credentials) this.settle((w) => w.resolve({ ...credentials }));
    if (out.error && !own) {
      const error = out.error;
      this.settle((w) => w.reject(error));
    }
    if (out.token) this.poll(out.token);
  }

  /** @param {(w: Waiter) => void} how */
  settle(how) {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) how(w);
  }

  /**
   * @param {SessionState} state
   * @param {SignOutReason | undefined} reason
   */
  dispatch(state, reason) {
    for (const session of this.sessions) session.dispatchEvent(new SessionChangeEvent(state, reason));
  }

  /** @param {string} text */
  persist(text) {
    try {
      this.store.write(text);
    } catch (e) {
      const kind = /** @type {"local" | "session"} */ (this.store.kind);
      this.store = memoryStore();
      this.store.write(text);
      this.degrade(kind, `writing it failed (${e instanceof Error ? e.name : "error"})`);
    }
  }

  /**
   * The one warning of a storage that cannot be used. It names the storage and the
   * session, never what was being stored.
   * @param {"local" | "session"} kind
   * @param {string} why
   */
  degrade(kind, why) {
    console.warn(`tvmaze-auth: ${kind}Storage cannot keep the session "${this.name}": ${why}. It is kept in this page's memory only, and is lost on reload.`);
  }

  /** @param {unknown} data a message from another tab: `{}` (read storage) or `{ record }` */
  onMessage(data) {
    if (typeof data !== "object" || data === null) return;
    if ("record" in data) this.seen(data.record, true);
    else this.seen(this.store.read(), false);
  }

  /**
   * @param {unknown} value
   * @param {boolean} message
   */
  seen(value, message) {
    this.step({ type: "seen", value, message }).catch(() => {});
  }

  /**
   * Polls `token` while it is pending, holding its Web Lock so that one tab polls it at
   * a time; without Web Locks (or for "memory"), the pace stored with the pairing is
   * what keeps tabs apart.
   * @param {string} token
   */
  poll(token) {
    if (this.polling === token || this.closed.signal.aborted) return;
    this.polling = token;
    const done = () => {
      if (this.polling !== token) return;
      this.polling = null;
      const next = this.view?.token;
      if (next && next !== token) this.poll(next);
    };
    const locks = this.shared ? globalThis.navigator?.locks : undefined;
    if (locks?.request) {
      const run = () => this.pollLoop(token, true).catch(() => {});
      locks.request(`${this.name}/poll/${token}`, { signal: this.closed.signal }, run).then(done, done);
    } else {
      this.pollLoop(token, !this.shared).catch(() => {}).then(done, done);
    }
  }

  /**
   * @param {string} token
   * @param {boolean} exclusive whether this page polls it alone (holds its lock, or "memory")
   */
  async pollLoop(token, exclusive) {
    const options = this.options;
    while (!this.closed.signal.aborted) {
      // Storage is the truth across tabs: read it before deciding.
      if (this.shared) await this.step({ type: "seen", value: this.store.read(), message: false });
      const { next } = await this.step({ type: "tick", token, me: this.me, exclusive });
      if (next.do === "wait") {
        await this.sleep(next.ms ?? 0);
      } else if (next.do === "poll") {
        const sent = this.record;
        /** @type {{ result?: unknown, error?: unknown }} */
        const answer = {};
        try {
          answer.result = await glue.pollAuth(token, { ...options, deadlineMs: next.deadlineMs });
        } catch (e) {
          answer.error = e;
        }
        // A key another tab received and stored beats this poll's TOKEN_NOT_FOUND.
        if (this.shared) await this.step({ type: "seen", value: this.store.read(), message: false });
        await this.step({ type: "polled", token, sent, ...answer });
      } else if (next.do === "validate" && next.username && next.apiKey) {
        const apiKey = next.apiKey;
        try {
          const { level } = await glue.validate(next.username, apiKey, options);
          await this.step({ type: "validated", apiKey, result: { level } });
        } catch (e) {
          await this.step({ type: "validated", apiKey, error: e });
        }
      } else {
        return;
      }
    }
  }

  /**
   * Waits `ms`, or less when the state changes or the hub closes.
   * @param {number} ms
   */
  sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(undefined);
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** The last session of this page closed: let go of the other tabs and the lock. */
  close() {
    hubs.delete(this.id);
    this.closed.abort();
    this.channel?.close();
    globalThis.removeEventListener?.("storage", this.onStorage);
    for (const wake of [...this.sleepers]) wake();
    const closed = new Error("tvmaze-auth: the session was closed");
    closed.name = "AbortError";
    this.settle((w) => w.reject(closed));
  }
}

/**
 * Calls a sign-in's onPoll; what it throws, or its promise rejects with, is ignored.
 * @param {Waiter} w
 * @param {PollProgress} progress
 */
function report(w, progress) {
  try {
    Promise.resolve(w.onPoll?.({ ...progress })).catch(() => {});
  } catch {
    // A faulty progress callback must not cost the user their sign-in.
  }
}

/** @implements {TvmazeSession} */
class Session extends EventTarget {
  /** @type {Hub} */
  #hub;
  #closed = false;

  /** @param {Hub} hub */
  constructor(hub) {
    super();
    this.#hub = hub;
    hub.sessions.add(this);
  }

  get state() {
    return this.#hub.view?.state ?? "signed-out";
  }

  get credentials() {
    const c = this.#hub.view?.credentials;
    return c ? { ...c } : null;
  }

  get pending() {
    const p = this.#hub.view?.pending;
    return p ? { ...p } : null;
  }

  get ready() {
    return this.#hub.open();
  }

  /**
   * @param {string} email
   * @param {SignInOptions} [options]
   * @returns {Promise<SessionCredentials>}
   */
  async signIn(email, options) {
    const hub = this.#hub;
    const { emailConfirmation, signal, onPoll, intervalMs, deadlineMs } = options ?? {};
    await hub.open();
    signal?.throwIfAborted();
    const pacing = { intervalMs, deadlineMs };
    const outcome = this.#outcome(signal, onPoll);
    try {
      const asked = await hub.step({ type: "signIn", email, ...pacing, ...hub.options }, true);
      if (asked.error) throw asked.error;
      if (asked.next.do === "start") {
        const { token, confirmUrl } = await glue.startAuth(email, { ...hub.options, emailConfirmation, signal });
        await hub.step({ type: "started", email, token, confirmUrl, me: hub.me, ...pacing }, true);
      }
      // The pairing an abort gives up: this one, not one started later or elsewhere
      // (aborted while it was being started, it is given up now).
      outcome.waiter.token = hub.view?.token;
      if (signal?.aborted && outcome.waiter.token) {
        hub.step({ type: "cancel", token: outcome.waiter.token }).catch(() => {});
      }
    } catch (e) {
      outcome.drop();
      throw e;
    }
    return outcome.promise;
  }

  /**
   * @param {ResumeOptions} [options]
   * @returns {Promise<SessionCredentials | null>}
   */
  async resume(options) {
    const { signal, onPoll } = options ?? {};
    await this.#hub.open();
    signal?.throwIfAborted();
    if (this.state === "signed-out") return null;
    const outcome = this.#outcome(signal, onPoll);
    outcome.waiter.token = this.#hub.view?.token;
    return outcome.promise;
  }

  /** @returns {Promise<void>} */
  async signOut() {
    await this.#hub.open();
    await this.#hub.step({ type: "signOut" });
  }

  /**
   * @template [T=unknown]
   * @param {string} path
   * @param {SessionFetchInit} [init]
   * @returns {Promise<T>}
   */
  async fetch(path, init) {
    const hub = this.#hub;
    await hub.open();
    const { method, body, signal, timeoutMs } = init ?? {};
    /** @type {unknown} A body JSON cannot express is left for the core to refuse. */
    let json;
    try {
      json = body === undefined ? undefined : JSON.stringify(body);
    } catch {
      json = body;
    }
    const c = this.credentials;
    const options = { ...hub.options, method, json, signal, timeoutMs };
    try {
      return /** @type {T} */ (await core().__userRequest(c?.username ?? null, c?.apiKey ?? null, path, options));
    } catch (e) {
      // The core decides whether this 401 signs the session out (is it the current key?).
      if (c && isAuthError(e) && /** @type {TvmazeAuthError} */ (e).code === "INVALID_CREDENTIALS") {
        await hub.step({ type: "unauthorized", apiKey: c.apiKey }).catch(() => {});
      }
      throw e;
    }
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    const hub = this.#hub;
    hub.sessions.delete(this);
    if (hub.sessions.size === 0) hub.close();
  }

  /**
   * A promise of this session's outcome: signed in (resolve), or the pairing ended
   * without a key (reject with the core's error). Aborting `signal` gives the pairing
   * up in every tab (unless its key has arrived) and rejects with `signal.reason`.
   * @param {AbortSignal | undefined} signal
   * @param {SignInOptions["onPoll"]} onPoll
   */
  #outcome(signal, onPoll) {
    const hub = this.#hub;
    /** @type {Waiter} */
    let waiter = { resolve() {}, reject() {}, onPoll };
    /** @type {Promise<SessionCredentials>} */
    const promise = new Promise((resolve, reject) => {
      const stop = () => signal?.removeEventListener("abort", onAbort);
      const onAbort = () => {
        hub.waiters.delete(waiter);
        stop();
        if (waiter.token) hub.step({ type: "cancel", token: waiter.token }).catch(() => {});
        reject(signal?.reason);
      };
      waiter = {
        onPoll,
        resolve: (c) => {
          stop();
          resolve(c);
        },
        reject: (e) => {
          stop();
          reject(e);
        },
      };
      hub.waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      const credentials = hub.view?.credentials;
      if (hub.view?.state === "signed-in" && credentials) waiter.resolve({ ...credentials });
    });
    return {
      promise,
      get waiter() {
        return waiter;
      },
      drop: () => {
        hub.waiters.delete(waiter);
        waiter.resolve = () => {};
        promise.catch(() => {});
      },
    };
  }
}
