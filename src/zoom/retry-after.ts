// Zoom's Retry-After comes in two forms: delay-seconds on per-second 429s and 503s, and an ISO-8601 date-time
// (midnight GMT) on daily-limit 429s. HTTP-dates are accepted too. Parsing is strict on purpose: V8's Date.parse
// accepts almost any string with a number in it, which would turn garbage into a wait.

export interface RetryAfter {
  /** Seconds from `nowMs` until the caller may retry (0 when the date is already past). */
  seconds: number;
  form: "delay" | "date";
}

const DELAY = /^\d+(?:\.\d+)?$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses a Retry-After value; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): RetryAfter | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === "") return undefined;

  if (DELAY.test(text)) return { seconds: Number(text), form: "delay" };

  const at = parseDate(text);
  if (at === undefined) return undefined;
  return { seconds: Math.max(0, Math.ceil((at - nowMs) / 1000)), form: "date" };
}

function parseDate(text: string): number | undefined {
  const iso = ISO_DATE_TIME.exec(text);
  if (iso) {
    const [, date, time, zone] = iso;
    // Zoom's daily reset is midnight GMT: a date-time without an offset is read as UTC, not local time.
    let offset = zone === undefined ? "Z" : zone.toUpperCase();
    if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const normalised = time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${offset}`;
    return finite(Date.parse(normalised));
  }
  if (HTTP_DATE.test(text)) return finite(Date.parse(text));
  return undefined;
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** Seconds until the next midnight UTC, when Zoom's daily limits reset: the fallback for a daily 429 without a date. */
export function secondsUntilUtcMidnight(nowMs: number): number {
  const now = new Date(nowMs);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - nowMs) / 1000));
}

export type TooManyRequestsKind = "daily" | "per-second" | "concurrent";

/**
 * Tells Zoom's 429s apart: a daily limit (waiting is pointless), a per-second limit (pause the category) or the
 * per-user concurrency lock (only this request backs off). The message decides first: X-RateLimit-Type describes
 * the category's limit and may say Daily-limit on any answer of an account that has one, whatever was refused.
 */
export function classifyTooManyRequests(input: {
  rateLimitType?: string | undefined;
  message?: string | undefined;
  retryAfter?: RetryAfter | undefined;
}): TooManyRequestsKind {
  const type = input.rateLimitType?.toLowerCase() ?? "";
  const message = input.message?.toLowerCase() ?? "";
  if (message.includes("daily")) return "daily";
  if (message.includes("concurrent")) return "concurrent";
  if (message.includes("per-second") || message.includes("per second")) return "per-second";
  // A date an hour or more away is a daily reset, whatever else the answer says.
  if (input.retryAfter?.form === "date" && input.retryAfter.seconds >= 3600) return "daily";
  if (type.includes("daily")) return "daily";
  return "per-second";
}
