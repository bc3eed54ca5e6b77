// A server component rendering the client component: prerendered at build time, which
// evaluates tvmaze-auth on the server (its Node entry) before the browser gets it.
import SignIn from "./sign-in.js";

export default function Page() {
  return (
    <main>
      <h1>tvmaze-auth in Next.js</h1>
      <SignIn />
    </main>
  );
}
