import auth = require("tvmaze-auth");
import type { PollResult, RequestOptions } from "tvmaze-auth";

export async function once(token: string): Promise<string | null> {
  const options: RequestOptions = { timeoutMs: 5000 };
  const answer: PollResult = await auth.pollAuth(token, options);
  return answer.status === "confirmed" ? answer.username : null;
}

export function signedIn(): string | null {
  const session = auth.openSession({ storage: "memory" });
  return session.credentials?.username ?? null;
}
