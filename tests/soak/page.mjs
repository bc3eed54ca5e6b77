// The soak's Chromium page: the packed browser entry, the shared flows, and the user's
// decisions made by the harness (window.decideInHarness).
import init, * as lib from "/pkg/tvmaze_auth.js";
import { runFlows } from "/soak/flows.mjs";

const wasm = await init();
window.soak = (baseUrl, count, seed) => runFlows({ lib, baseUrl, count, seed, decide: window.decideInHarness });
window.usage = () => ({ table: wasm.__wbindgen_externrefs.length, memory: wasm.memory.buffer.byteLength });
