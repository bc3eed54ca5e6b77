// A route handler: POST { baseUrl, token } waits for the confirmation and validates.
import { validate, waitForConfirmation } from "tvmaze-auth";

export async function POST(request) {
  const { baseUrl, token } = await request.json();
  const { apiKey, username } = await waitForConfirmation(token, { baseUrl, intervalMs: 250, deadlineMs: 20_000 });
  const { level } = await validate(username, apiKey, { baseUrl });
  return Response.json({ username, level, hasKey: apiKey.length > 0 });
}
