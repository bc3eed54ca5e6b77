// One fresh process of the Node start-up figure: prints the ms from the start of the
// import of MODULE (a file path or a package name) to its being usable: for
// tvmaze-auth's node.mjs, its wasm compiled and instantiated, which it does on import.
//   node bench/startup-node.mjs MODULE
const t0 = performance.now();
await import(process.argv[2]);
process.stdout.write(String(performance.now() - t0));
