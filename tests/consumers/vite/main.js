import { signIn } from "../shared/flow.js";

window.run = (baseUrl) => signIn(baseUrl, window.confirmInHarness);
