// JSON with integers past 2^53 kept exact. Zoom's plan codes reach 2^59 (576460752303423488): JSON.parse reads such
// a literal into the nearest double and JSON.stringify writes that double back as other digits (…423500). Here an
// integer literal beyond Number.MAX_SAFE_INTEGER parses to a bigint, and a bigint serialises as its raw digits.

/** Integer literals of at least this many digits may be unsafe; shorter ones always fit a double exactly. */
const UNSAFE_DIGITS = 16;

/** Parses JSON; integer literals beyond the safe range become bigint, everything else is JSON.parse's. */
export function parseExactJson(text: string): unknown {
  if (!mayHoldBigIntegers(text)) return JSON.parse(text) as unknown;
  const marked = markBigIntegers(text);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(MARK) && value.endsWith(MARK) ? BigInt(value.slice(MARK.length, -MARK.length)) : value,
  ) as unknown;
}

/** JSON.stringify, with bigint values written as raw integer digits. */
export function stringifyExact(value: unknown, space?: number): string {
  let found = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== "bigint") return v;
      found = true;
      return `${MARK}${v.toString()}${MARK}`;
    },
    space,
  );
  return found ? text.replace(MARKED_STRING, "$1") : text;
}

/** Wraps a bigint while JSON.parse or JSON.stringify runs: control characters no Zoom or SCIM value holds. */
const MARK = "\u0001bigint\u0001";
/** The marker as JSON text writes it (a raw control character is not valid inside a JSON string). */
const ESCAPED_MARK = "\\u0001bigint\\u0001";
const MARKED_STRING = /"\\u0001bigint\\u0001(-?\d+)\\u0001bigint\\u0001"/g;

function mayHoldBigIntegers(text: string): boolean {
  return /\d{16}/.test(text);
}

/** Quotes (with the marker) every integer literal outside strings that is too large for a double. */
function markBigIntegers(text: string): string {
  let out = "";
  let i = 0;
  let from = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string, escapes included.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < text.length && /[0-9eE.+-]/.test(text[i] as string)) i++;
      const literal = text.slice(start, i);
      const digits = literal.startsWith("-") ? literal.length - 1 : literal.length;
      if (/^-?\d+$/.test(literal) && digits >= UNSAFE_DIGITS && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(from, start)}"${ESCAPED_MARK}${literal}${ESCAPED_MARK}"`;
        from = i;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(from);
}
