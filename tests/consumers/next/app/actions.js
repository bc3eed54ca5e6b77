"use server";
// Server actions: the sign-in run on the server, called from the client component.
import { startAuth, validate, waitForConfirmation } from "tvmaze-auth";

export async function startOnServer(baseUrl) {
  const { token, confirmUrl } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  return { token, confirmUrl };
}

export async function finishOnServer(baseUrl, token) {
  const { apiKey, username } = await waitForConfirmation(token, { baseUrl, intervalMs: 250, deadlineMs: 20_000 });
  const { level } = await validate(username, apiKey, { baseUrl });
  // The key stays on the server: the page learns only that there was one.
  return { username, level, hasKey: apiKey.length > 0 };
}
