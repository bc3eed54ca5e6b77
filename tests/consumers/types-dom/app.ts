import init, {
  isTvmazeAuthError,
  openSession,
  pollAuth,
  startAuth,
  validate,
  waitForConfirmation,
  type Credentials,
  type PollProgress,
  type PollResult,
  type RequestOptions,
  type StartOptions,
  type StartResult,
  type TvmazeAuthError,
  type TvmazeAuthErrorCode,
  type TvmazeSession,
  type ValidateResult,
  type WaitOptions,
} from "tvmaze-auth";

export async function signIn(email: string, controller: AbortController): Promise<Credentials> {
  await init();
  await init({ module_or_path: new URL("https://example.test/tvmaze_auth_bg.wasm") });
  const options: RequestOptions = { baseUrl: "/tvmaze/v1", signal: controller.signal };
  const start: StartOptions = { ...options, emailConfirmation: false };
  const started: StartResult = await startAuth(email, start);
  const once: PollResult = await pollAuth(started.token, options);
  if (once.status === "confirmed") return once;
  const wait: WaitOptions = { ...options, onPoll: (p: PollProgress) => console.log(p.nextPollInMs) };
  const credentials = await waitForConfirmation(started.token, wait);
  const checked: ValidateResult = await validate(credentials.username, credentials.apiKey, options);
  console.log(checked.level);
  return credentials;
}

export function codeOf(e: unknown): TvmazeAuthErrorCode | undefined {
  if (!isTvmazeAuthError(e)) return undefined;
  const error: TvmazeAuthError = e;
  return error.code;
}

// The session on a page: localStorage by default, its change event typed.
export function watch(render: (state: string, reason?: string) => void): TvmazeSession {
  const session = openSession({ baseUrl: "/tvmaze/v1" });
  session.addEventListener("change", (e) => render(e.state, e.reason));
  return session;
}
