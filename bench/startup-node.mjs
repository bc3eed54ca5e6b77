// Prints the ms from the start of `import` of the web build to the module being ready
// for a first call (its wasm read, compiled and instantiated with initSync).
import { readFileSync } from "node:fs";
const t0 = performance.now();
const lib = await import("../pkg/tvmaze_auth.js");
lib.initSync({ module: readFileSync(new URL("../pkg/tvmaze_auth_bg.wasm", import.meta.url)) });
process.stdout.write(String(performance.now() - t0));
