// Preloaded into the Next.js processes (NODE_OPTIONS=--import): `next dev` asks the npm
// registry for Next's latest version when it starts, and these tests send traffic to
// loopback only, so here fetch refuses every other host (Next shrugs the failure off).
// Loopback requests, the library's included, go to the real fetch untouched.
const realFetch = globalThis.fetch;
globalThis.fetch = function fetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname)) {
    return Promise.reject(new TypeError(`tests/consumers: no traffic to ${url.host} (loopback only)`));
  }
  return realFetch.call(this, input, init);
};
