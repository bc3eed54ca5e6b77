// A React 19 app (Vite, no plugin and no config) using <tvmaze-sign-in>: React 19 passes
// attributes to custom elements and the app listens for tvmaze-signed-in on a ref.
import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import "tvmaze-auth/element";

const api = new URLSearchParams(location.search).get("api");

function App() {
  const ref = useRef(null);
  const [user, setUser] = useState(null);
  useEffect(() => {
    const element = ref.current;
    const onSignedIn = (e) => {
      const { username, level, apiKey } = e.detail;
      setUser({ username, level, hasKey: apiKey.length > 0 });
    };
    element.addEventListener("tvmaze-signed-in", onSignedIn);
    return () => element.removeEventListener("tvmaze-signed-in", onSignedIn);
  }, []);
  useEffect(() => {
    if (user) window.signedIn = user;
  }, [user]);
  return (
    <main>
      <h1>{user ? `Hello, ${user.username}` : "Sign in"}</h1>
      <tvmaze-sign-in ref={ref} base-url={api} confirm="email" />
    </main>
  );
}

createRoot(document.getElementById("root")).render(<App />);
