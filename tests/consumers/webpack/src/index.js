// webpack 5 with no configuration file: its defaults take src/index.js to dist/main.js.
import { signIn } from "../../shared/flow.js";

window.run = (baseUrl, options) => signIn(baseUrl, window.confirmInHarness, options);
