// Where clients reach this server, for Location and meta.location. PUBLIC_URL wins; otherwise the request's own
// scheme and Host, believed only when they are an http(s) scheme and a well-formed host[:port] (RFC 3986 §3.2.2).
// X-Forwarded-Proto/-Host count only when 'trust proxy' (SCIM_TRUST_PROXY) trusts the peer: Express applies that.
import { isIPv6 } from "node:net";
import type { Request, Response } from "express";
import { ScimError } from "../scim/errors.js";

const DEC_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `${DEC_OCTET}(?:\\.${DEC_OCTET}){3}`;
/** unreserved / pct-encoded / sub-delims, non-empty (an IPv4 address is one too). */
const REG_NAME = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+";
const HOST_PORT = new RegExp(`^(?:\\[([0-9A-Fa-f:.]+)\\]|(${IPV4})|(${REG_NAME}))(?::(\\d{1,5}))?$`);

/** Whether `value` is host[:port] with a reg-name, an IPv4 address or a bracketed IPv6 literal. */
export function isValidHostPort(value: string): boolean {
  const match = HOST_PORT.exec(value);
  if (!match) return false;
  const [, ipv6, , , port] = match;
  if (ipv6 !== undefined && !isIPv6(ipv6)) return false;
  return port === undefined || Number(port) <= 65535;
}

/** The origin the request names, e.g. https://scim.example.com:8443; a 400 when it names none a client could use. */
export function requestOrigin(req: Request): string {
  // req.protocol and req.host read X-Forwarded-* only from peers 'trust proxy' trusts.
  const scheme = req.protocol.toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    throw new ScimError(400, undefined, "X-Forwarded-Proto must be http or https; set PUBLIC_URL to name this server's address.");
  }
  const host = req.host;
  if (!host || !isValidHostPort(host)) {
    throw new ScimError(
      400,
      undefined,
      "The Host (or trusted X-Forwarded-Host) header is not a valid host[:port]; set PUBLIC_URL to name this server's address.",
    );
  }
  return `${scheme}://${host}`;
}

/** Where clients reach this server: PUBLIC_URL when set, else the request's own (validated) origin. */
export function originOf(req: Request, res: Response): string {
  const publicUrl = res.app.locals.publicUrl as string | undefined;
  return publicUrl ?? requestOrigin(req);
}
