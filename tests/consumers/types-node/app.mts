import init, {
  isTvmazeAuthError,
  openSession,
  startAuth,
  validate,
  waitForConfirmation,
  type Credentials,
  type StartResult,
  type TvmazeAuthErrorCode,
  type SessionCredentials,
  type ValidateResult,
  type WaitOptions,
} from "tvmaze-auth";

await init(); // optional in Node, and harmless
const started: StartResult = await startAuth("alice@example.com", { signal: AbortSignal.timeout(5000) });
const wait: WaitOptions = { intervalMs: 10_000, onPoll: ({ attempt }) => console.log(attempt) };
const credentials: Credentials = await waitForConfirmation(started.token, wait);
const checked: ValidateResult = await validate(credentials.username, credentials.apiKey);
console.log(checked.premium);

export function codeOf(e: unknown): TvmazeAuthErrorCode | undefined {
  return isTvmazeAuthError(e) ? e.code : undefined;
}

// The session in Node: in memory, its events typed, without DOM types.
const session = openSession({ storage: "memory", baseUrl: process.env.TVMAZE_API });
session.addEventListener("change", (e) => console.log(e.state, e.reason));
const signedIn: SessionCredentials = await session.signIn("alice@example.com", { emailConfirmation: false });
console.log(signedIn.level, await session.fetch<{ show_id: number }[]>("/user/follows/shows"));
session.close();
