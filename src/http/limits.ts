// What a JSON body may hold: nesting depth and string length, both checked without recursion, so that a
// 10,000-deep or multi-megabyte hostile body costs one linear scan and is refused before any SCIM code walks it.
import { ScimError } from "../scim/errors.js";
import type { HttpLimits } from "../config/types.js";

export type JsonLimits = Pick<HttpLimits, "maxJsonDepth" | "maxStringBytes">;

/** Whether arrays/objects in the JSON text nest deeper than `max`; brackets inside strings do not count. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** UTF-8 length above `max`, computed only when the UTF-16 length leaves it in doubt (UTF-8 is 1–3 bytes per unit). */
function longerThan(value: string, max: number): boolean {
  if (value.length > max) return true;
  if (value.length * 3 <= max) return false;
  return Buffer.byteLength(value, "utf8") > max;
}

const step = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** The path of some string (value or key) longer than `max` bytes, e.g. `emails[0].value`; undefined when none is. */
export function overlongStringPath(root: unknown, max: number): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: "" }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      if (longerThan(value, max)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => stack.push({ value: item, path: `${path}[${index}]` }));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (longerThan(key, max)) return `a key in ${path === "" ? "the body" : path}`;
        stack.push({ value: item, path: step(path, key) });
      }
    }
  }
  return undefined;
}

/** A SCIM request body: a JSON object or array within the limits; an empty body reads as {}. */
export function parseJsonBody(raw: string, limits: JsonLimits): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const first = text.trimStart()[0];
  if (first === undefined) return {};
  if (first !== "{" && first !== "[") throw new ScimError(400, "invalidSyntax", "The request body is not valid JSON; send a JSON object.");
  if (nestsDeeperThan(text, limits.maxJsonDepth)) {
    throw new ScimError(
      400,
      "invalidSyntax",
      `The request body nests arrays and objects more than ${limits.maxJsonDepth} deep; SCIM resources need far fewer levels.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ScimError(400, "invalidSyntax", "The request body is not valid JSON; send a JSON object.");
  }
  const overlong = overlongStringPath(body, limits.maxStringBytes);
  if (overlong !== undefined) {
    throw new ScimError(
      400,
      "invalidValue",
      `${overlong.startsWith("a key") ? overlong : `The value of "${overlong}"`} is longer than ${limits.maxStringBytes} bytes, the most zoom-scim accepts in one string.`,
    );
  }
  return body;
}
