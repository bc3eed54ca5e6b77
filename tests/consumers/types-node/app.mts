import init, {
  isTvmazeAuthError,
  startAuth,
  validate,
  waitForConfirmation,
  type Credentials,
  type StartResult,
  type TvmazeAuthErrorCode,
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
