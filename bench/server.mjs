// The benchmark's server: TVmaze's three auth endpoints answering at once with fixed
// bodies (so only the client's own cost is measured), plus the page, the built package
// and the bundled @octokit/request for the browser run. Loopback only, a free port.
// Run as its own process so that its CPU time is not the client's:
//   node bench/server.mjs [STATIC_ROOT]   prints "bench-server http://127.0.0.1:PORT" once bound
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const root = process.argv[2] ?? process.cwd();
const json = { "content-type": "application/json" };
const types = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };
let origin = "";

// Bodies as TVmaze and the stand-in send them. The tokens name the answer wanted.
function api(req, res, body) {
  const path = req.url.slice("/v1".length);
  const send = (status, obj) => {
    const text = JSON.stringify(obj);
    res.writeHead(status, { ...json, "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  const notFound = (what) => send(404, { code: 0, message: `The ${what} was not found.`, name: "Not Found", status: 404 });
  if (req.method === "POST" && path === "/auth/start") {
    if (body.includes('"nobody@')) return notFound("user");
    return send(200, { token: "t0k3nt0k3nt0k3nt0k3nt0k3nt0k3n0", confirm_url: `${origin}/confirm/t0k3nt0k3nt0k3nt0k3nt0k3nt0k3n0` });
  }
  if (req.method === "POST" && path === "/auth/poll") {
    if (body.includes('"confirmed"')) return send(200, { apikey: "vxR30xS70N_VIpe0b31bO56OCXbcHr-A", username: "alice" });
    if (body.includes('"pending"'))
      return send(403, { code: 0, message: "The authentication request was not confirmed yet.", name: "Forbidden", status: 403 });
    return notFound("authentication request");
  }
  if (req.method === "GET" && path === "/auth/validate") {
    return req.headers.authorization ? send(200, { premium: 2 }) : send(401, { name: "Unauthorized", status: 401 });
  }
  notFound("page");
}

// The page and its modules. no-store: every start-up measurement fetches and compiles
// the wasm afresh instead of reusing a cached compilation. Each file is read from disk
// once and then answered from memory, so that a sample does not time the disk.
const cache = new Map();
async function files(req, res) {
  const rel = normalize(decodeURIComponent(new URL(req.url, origin).pathname)).replace(/^(\.\.[/\\])+/, "");
  try {
    const path = join(root, rel);
    if (!cache.has(path)) cache.set(path, await readFile(path));
    const data = cache.get(path);
    res.writeHead(200, { "content-type": types[extname(rel)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(data);
  } catch {
    res.writeHead(404).end();
  }
}

const server = http.createServer((req, res) => {
  if (!req.url.startsWith("/v1/")) return void files(req, res);
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => api(req, res, Buffer.concat(chunks).toString()));
});
server.keepAliveTimeout = 60_000;
server.maxConnections = 2000;
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`bench-server ${origin}`);
});
// Never outlive the run that started it: stdin closes when the parent exits.
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
