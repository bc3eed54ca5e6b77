// A route handler: POST { baseUrl } starts a sign-in on the server.
import { startAuth } from "tvmaze-auth";

export async function POST(request) {
  const { baseUrl } = await request.json();
  const { token, confirmUrl } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  return Response.json({ token, confirmUrl });
}
