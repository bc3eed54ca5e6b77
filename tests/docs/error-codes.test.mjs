// Every error code of the public API is explained where users read about it, and the
// one the npm package raises itself is raised there. The codes come from the .d.ts
// (tests/docs/error-codes.mjs), so a code added to src/error.rs fails here until the
// docs explain it. The element's wording (npm/element.js) is checked by tsc -p npm: its
// table of errors is typed by the code union.
// Run: node --test tests/docs/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { errorCodes } from "./error-codes.mjs";

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const CODES = errorCodes();

for (const path of ["README.md", "npm/README.md"]) {
  test(`${path}'s error table explains every code`, () => {
    const text = read(path);
    const missing = CODES.filter((code) => !text.includes(`| \`${code}\` |`));
    assert.deepEqual(missing, [], `${path} has no row for ${missing.join(", ")}`);
  });
}

test("the npm package's loader raises LOAD_FAILED itself", () => {
  assert.match(read("npm/lazy.js"), /code: "LOAD_FAILED"/);
});
