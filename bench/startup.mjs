// From the start of `import` of the web build to a first call being possible: the glue
// fetched and evaluated, the wasm fetched, compiled and instantiated (init()).
const t0 = performance.now();
const lib = await import("/pkg/tvmaze_auth.js");
await lib.default();
window.startupMs = performance.now() - t0;
