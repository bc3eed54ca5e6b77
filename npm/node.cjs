// The Node CommonJS entry ("node" + "require" in package.json's exports), for Node 18
// and every `require()` without require-of-ESM. tvmaze_auth.cjs is the browser entry's
// glue converted to CommonJS at pack time (same code); the module is loaded at require
// from the .wasm's bytes, embedded here as base64 by scripts/lib/npm-package.mjs for
// the same reason as in node.mjs. Its exports are the glue's, all of them, written out
// by npm-package.mjs one per line, as tools that read CommonJS statically (TypeScript's
// checkers, Node's named-export detection) need.
"use strict";
const { Buffer } = require("node:buffer");
const glue = require("./tvmaze_auth.cjs");

glue.initSync({ module: Buffer.from("@WASM_BASE64@", "base64") });

// Loaded already: init() resolves at once and initSync() does nothing.
/* @EXPORTS@ */
