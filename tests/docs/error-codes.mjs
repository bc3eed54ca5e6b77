// The error codes of the public API, read from api/tvmaze_auth.d.ts: the reviewed copy
// of the .d.ts, whose union src/error.rs generates from its one list of codes (and
// scripts/check-dts.sh fails when the generated one drifts from it).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const DTS = new URL("../../api/tvmaze_auth.d.ts", import.meta.url);

/** The members of `export type TvmazeAuthErrorCode = | "A" | "B";`, in order. */
export function errorCodes() {
  // Comments out first: one inside the union (as before LOAD_FAILED) may hold a ";"
  // that would end the match early and silently drop the codes after it.
  const text = readFileSync(DTS, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  const union = /export\s+type\s+TvmazeAuthErrorCode\s*=([^;]*);/.exec(text);
  assert.ok(union, `no TvmazeAuthErrorCode union in ${DTS.pathname}`);
  const codes = [...union[1].matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length > 0, `empty TvmazeAuthErrorCode union in ${DTS.pathname}`);
  return codes;
}
