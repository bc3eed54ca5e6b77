// The Node CommonJS entry ("node" + "require" in package.json's exports), for Node 18
// and every `require()` without require-of-ESM. tvmaze_auth.cjs is the browser entry's
// glue converted to CommonJS at pack time (same code, same tvmaze_auth_bg.wasm); the
// module is loaded from disk here, at require, so no init is needed. `init()` and
// `initSync()` remain, doing nothing, so code written for the browser entry runs.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const glue = require("./tvmaze_auth.cjs");

glue.initSync({ module: readFileSync(join(__dirname, "tvmaze_auth_bg.wasm")) });

exports.isTvmazeAuthError = glue.isTvmazeAuthError;
exports.pollAuth = glue.pollAuth;
exports.startAuth = glue.startAuth;
exports.validate = glue.validate;
exports.waitForConfirmation = glue.waitForConfirmation;
/** Does nothing: this entry loaded the module when it was required. */
exports.default = async function init() {};
/** Does nothing: this entry loaded the module when it was required. */
exports.initSync = function initSync() {};
