// The one check before this page sends anyone to a confirm page. A confirm URL comes
// from the network; following it blindly would let a compromised or spoofed API send
// users to a look-alike page that phishes their TVmaze login.

/**
 * Returns null when `confirmUrl` may be opened, else a sentence saying why not.
 * Real API: https on tvmaze.com or one of its subdomains, no credentials in the URL.
 * Stand-in: exactly the stand-in API's own origin.
 */
export function checkConfirmUrl(confirmUrl, apiBase, isStandin) {
  let url;
  try {
    url = new URL(confirmUrl);
  } catch {
    return `Refused "${confirmUrl}": it is not a web address.`;
  }
  if (url.username || url.password) {
    return `Refused ${url.origin}: the address carries a user name or password.`;
  }
  if (isStandin) {
    const expected = new URL(apiBase).origin;
    return url.origin === expected
      ? null
      : `Refused ${url.origin}: the stand-in's confirm pages are on ${expected}.`;
  }
  const host = url.hostname;
  if (url.protocol === "https:" && (host === "tvmaze.com" || host.endsWith(".tvmaze.com"))) {
    return null;
  }
  return `Refused ${url.origin}: TVmaze's confirm pages are https addresses on tvmaze.com.`;
}
