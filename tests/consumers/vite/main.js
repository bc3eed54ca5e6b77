import { signIn } from "../shared/flow.js";

window.run = (baseUrl, options) => signIn(baseUrl, window.confirmInHarness, options);
