/**
 * What a release's version is compared by. A deploy event and the pods' `service.version` are
 * written by different tools: the pipeline says `v2.14.0` or the image `registry:5000/checkout:2.14.0`
 * (with or without `@sha256:…`), the SDK reports `2.14.0`. Both are read as their tag, lower case,
 * without a `v` before a digit.
 */
export function versionKey(v: string): string {
  let k = v.trim();
  const at = k.indexOf('@');
  if (at > 0) k = k.slice(0, at);
  const colon = k.lastIndexOf(':');
  // An image reference's tag follows its last colon, unless that colon is a registry's port (a slash after it).
  if (colon >= 0 && !k.slice(colon + 1).includes('/')) k = k.slice(colon + 1);
  k = k.toLowerCase();
  return /^v\d/.test(k) ? k.slice(1) : k;
}

/** Whether two versions name the same release (see `versionKey`); false when either is missing. */
export function sameVersion(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && (a === b || versionKey(a) === versionKey(b));
}
