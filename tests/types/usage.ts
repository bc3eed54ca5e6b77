// Type-level tests of the published declarations (pkg/tvmaze_auth.d.ts), checked by
// `tsc --noEmit --strict` in scripts/test.sh. Nothing here runs: each line either must
// compile, or carries `@ts-expect-error` and must NOT compile, so a loosened type (an
// `any`, a lost union) fails the check as surely as a broken one.
import init, {
  isTvmazeAuthError,
  openSession,
  pollAuth,
  startAuth,
  validate,
  waitForConfirmation,
  type Credentials,
  type PollOptions,
  type PollProgress,
  type PollResult,
  type RequestOptions,
  type StartOptions,
  type StartResult,
  type TvmazeAuthError,
  type TvmazeAuthErrorCode,
  type ValidateResult,
  type WaitOptions,
  type PendingSignIn,
  type ResumeOptions,
  type SessionCredentials,
  type SessionFetchInit,
  type SessionOptions,
  type SessionState,
  type SignInOptions,
  type SignOutReason,
  type TvmazeSession,
  type TvmazeSessionChangeEvent,
} from "../../pkg/tvmaze_auth.js";

export async function signIn(email: string, signal: AbortSignal): Promise<string> {
  await init();
  const options: RequestOptions = { baseUrl: "http://127.0.0.1:8081/v1", signal, timeoutMs: 5000 };
  const started: { token: string; confirmUrl: string } = await startAuth(email, {
    ...options,
    emailConfirmation: false,
  });

  const polled = await pollAuth(started.token, options);
  if (polled.status === "confirmed") {
    const key: string = polled.apiKey; // narrowed by the status tag
    return key;
  }
  // @ts-expect-error a pending answer carries no key
  polled.apiKey;

  const { apiKey, username } = await waitForConfirmation(started.token, {
    ...options,
    intervalMs: 10_000,
    deadlineMs: 60_000,
    maxTransientErrors: 2,
    onPoll: ({ attempt, elapsedMs, nextPollInMs }) => {
      const n: number = attempt + elapsedMs + nextPollInMs;
      void n;
    },
  });
  const { premium, level } = await validate(username, apiKey, options);
  const p: 0 | 1 | 2 | 3 = premium;
  const l: "none" | "bronze" | "silver" | "gold" = level;
  // @ts-expect-error premium is 0..3, not any number
  const wrong: 4 = premium;
  void [p, l, wrong];
  return apiKey;
}

export function describe(e: unknown): string {
  if (isTvmazeAuthError(e)) {
    const narrowed: TvmazeAuthError = e; // the guard narrows `unknown`
    const code: TvmazeAuthErrorCode = narrowed.code;
    const status: number | undefined = narrowed.status;
    const retry: number | undefined = narrowed.retryAfterMs;
    // @ts-expect-error codes are a closed union
    const bogus: TvmazeAuthErrorCode = "NOT_A_CODE";
    void [status, retry, bogus];
    return code;
  }
  // @ts-expect-error outside the guard, `e` is still unknown
  e.code;
  return "not ours";
}

// @ts-expect-error the email is required
startAuth();
// @ts-expect-error emailConfirmation is a boolean
startAuth("a@b", { emailConfirmation: "no" });
// @ts-expect-error options are checked: no misspelt keys
pollAuth("t", { timeoutMS: 5 });
// @ts-expect-error pollAuth takes deadlineMs, not waitForConfirmation's pacing
pollAuth("t", { intervalMs: 5 });
// @ts-expect-error validate needs the key too
validate("alice");

// The named types are the ones the functions use: a value typed with them passes
// straight in, and what comes out has them.
export async function named(options: RequestOptions): Promise<Credentials> {
  const start: StartOptions = { ...options, emailConfirmation: false };
  const started: StartResult = await startAuth("a@b", start);
  const pollOptions: PollOptions = { ...options, deadlineMs: 60_000 };
  const polled: PollResult = await pollAuth(started.token, pollOptions);
  if (polled.status === "confirmed") {
    const credentials: Credentials = polled;
    return credentials;
  }
  const seen: PollProgress[] = [];
  const wait: WaitOptions = { ...options, intervalMs: 10_000, onPoll: (p) => void seen.push(p) };
  const credentials: Credentials = await waitForConfirmation(started.token, wait);
  // An async onPoll is fine: its rejection is handled like a throw.
  await waitForConfirmation(started.token, { onPoll: async () => {} });
  const checked: ValidateResult = await validate(credentials.username, credentials.apiKey, options);
  void checked;
  // @ts-expect-error a pending poll is not credentials
  const notYet: Credentials = { status: "pending" } satisfies PollResult;
  // @ts-expect-error StartOptions does not take waitForConfirmation's options
  const mixed: StartOptions = { intervalMs: 1 };
  // @ts-expect-error the code union is closed, LOAD_FAILED included
  const code: TvmazeAuthErrorCode = "NOT_LOADED";
  const loading: TvmazeAuthErrorCode = "LOAD_FAILED";
  void [notYet, mixed, code, loading];
  return credentials;
}

// The session: its options, state, events and signed requests.
export async function session(signal: AbortSignal): Promise<SessionCredentials | null> {
  const options: SessionOptions = { baseUrl: "http://127.0.0.1:8081/v1", storage: "session", name: "app" };
  const s: TvmazeSession = openSession(options);
  openSession(); // every option is optional
  // @ts-expect-error storage is one of three
  openSession({ storage: "cookie" });
  // The change event is typed by its name, a listener object too, and it is an EventTarget.
  s.addEventListener("change", (e) => {
    const state: SessionState = e.state;
    const reason: SignOutReason | undefined = e.reason;
    void [state, reason];
  });
  s.addEventListener("change", { handleEvent: (e: Event) => void e }, { once: true, signal });
  const target: EventTarget = s;
  const event: TvmazeSessionChangeEvent | null = null;
  // @ts-expect-error the state is a closed union, not a number
  s.addEventListener("change", (e) => void ((x: number) => x)(e.state));
  await s.ready;
  const pending: PendingSignIn | null = s.pending;
  const start: SignInOptions = { emailConfirmation: false, signal, intervalMs: 2000, onPoll: ({ attempt }) => void attempt };
  const signedIn: SessionCredentials = await s.signIn("a@b", start);
  const level: "none" | "bronze" | "silver" | "gold" = signedIn.level;
  const again: ResumeOptions = { signal, onPoll: async () => {} };
  const resumed: SessionCredentials | null = await s.resume(again);
  // What fetch resolves with is the caller's to say, unknown by default.
  const shows = await s.fetch<{ show_id: number }[]>("/user/follows/shows?embed=show");
  const init: SessionFetchInit = { method: "PUT", body: { marked_at: 0 }, timeoutMs: 5000, signal };
  const put: unknown = await s.fetch("/user/follows/shows/82", init);
  // @ts-expect-error unknown until the caller says
  const notANumber: number = put;
  // @ts-expect-error not a method of the user API
  await s.fetch("/user/follows/shows", { method: "HEAD" });
  // @ts-expect-error credentials are read-only
  s.credentials = null;
  await s.signOut();
  s.close();
  void [target, event, pending, level, shows[0].show_id, notANumber];
  return resumed;
}
