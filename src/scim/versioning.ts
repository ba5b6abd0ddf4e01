// RFC 7644 §3.14 versioning: resources carry weak entity tags (meta.version, the ETag header); If-Match on PUT, PATCH
// and DELETE makes the write conditional. SCIM's versions are weak, and RFC 7644's own examples send them in
// If-Match, so tags compare by their opaque part (RFC 7232 §2.3.2 weak comparison), and `*` matches any version.
import { createHash } from "node:crypto";
import { ScimError } from "./errors.js";

/** A weak entity tag over a resource's content. */
export function weakVersion(content: unknown): string {
  return `W/"${createHash("sha1").update(JSON.stringify(content)).digest("base64url").slice(0, 16)}"`;
}

const opaque = (tag: string): string => tag.trim().replace(/^W\//, "");

/** Whether an If-Match header value admits a resource at `version`. */
export function ifMatchAdmits(header: string, version: string | undefined): boolean {
  const tags = header.split(",").map((tag) => tag.trim());
  if (tags.includes("*")) return true;
  if (version === undefined) return false;
  return tags.some((tag) => tag !== "" && opaque(tag) === opaque(version));
}

/** Throws 412 when `ifMatch` is given and does not admit the current version (RFC 7644 §3.14). */
export function checkIfMatch(ifMatch: string | undefined, version: string | undefined, what: string): void {
  if (ifMatch === undefined || ifMatchAdmits(ifMatch, version)) return;
  throw new ScimError(
    412,
    undefined,
    `${what} has changed since the version If-Match names (it is at ${version ?? "no known version"}); nothing was changed. ` +
      "Read it again, and repeat the request with its new ETag if the change still applies.",
  );
}

/** What a write request made conditional (its If-Match header). */
export interface Preconditions {
  ifMatch?: string | undefined;
}
