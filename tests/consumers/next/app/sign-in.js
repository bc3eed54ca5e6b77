"use client";
// A client component, server-rendered and then hydrated. In the browser it signs in
// with shared/flow.js (copied here by the test: Turbopack compiles nothing outside the
// app's folder), and through the server actions.
import { useEffect, useState } from "react";
import { isTvmazeAuthError } from "tvmaze-auth";
import { signIn } from "./flow.js";
import { finishOnServer, startOnServer } from "./actions.js";

export default function SignIn() {
  const [where, setWhere] = useState("server");
  useEffect(() => {
    window.run = (baseUrl, options) => signIn(baseUrl, window.confirmInHarness, options);
    window.runActions = async (baseUrl) => {
      const { token, confirmUrl } = await startOnServer(baseUrl);
      await window.confirmInHarness(confirmUrl);
      return finishOnServer(baseUrl, token);
    };
    setWhere("hydrated");
  }, []);
  // Called while rendering, on the server too: the package works there on import.
  const ready = !isTvmazeAuthError(new Error("not ours"));
  return (
    <p id="sign-in" data-rendered={where}>
      Sign in with TVmaze{ready ? "" : " (broken)"}
    </p>
  );
}
