// The one check before this page sends anyone to a confirm page. A confirm URL comes
// from the network; following it blindly would let a compromised or spoofed API send
// users to a look-alike page that phishes their TVmaze login.

/**
 * Returns null when `confirmUrl` may be opened, else a sentence saying why not.
 * Real API: https on tvmaze.com or one of its subdomains, on port 443, no credentials
 * in the URL.
 * Stand-in: exactly the stand-in API's own origin (this page's, for a same-origin base).
 * @param {string} confirmUrl
 * @param {string} apiBase
 * @param {boolean} isStandin
 * @returns {string | null}
 */
export function checkConfirmUrl(confirmUrl, apiBase, isStandin) {
  let url;
  try {
    url = new URL(confirmUrl);
  } catch {
    return `Refused "${confirmUrl}": it is not a web address.`;
  }
  // javascript:, data: and the like have the opaque origin "null"; name their scheme.
  const refused = url.origin === "null" ? `a ${url.protocol} address` : url.origin;
  if (url.username || url.password) {
    return `Refused ${refused}: the address carries a user name or password.`;
  }
  if (isStandin) {
    // A same-origin base ("/v1", with the stand-in's --proxy-api) is this page's origin.
    const expected = new URL(apiBase, globalThis.location?.href).origin;
    return url.origin === expected ? null : `Refused ${refused}: the stand-in's confirm pages are on ${expected}.`;
  }
  const host = url.hostname;
  // url.port is "" for https's own port 443: TVmaze serves nothing on another one.
  const onTvmaze = host === "tvmaze.com" || host.endsWith(".tvmaze.com");
  if (url.protocol === "https:" && url.port === "" && onTvmaze) {
    return null;
  }
  return `Refused ${refused}: TVmaze's confirm pages are https addresses on tvmaze.com.`;
}
