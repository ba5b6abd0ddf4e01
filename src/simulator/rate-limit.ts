// Zoom's rate limits per account and category (docs/zoom-behaviour.md §6): per-second windows sized by plan,
// daily limits where the plan has them (reset at midnight GMT), and the daily caps on user and
// group creation. Headers X-RateLimit-* go on every API answer.
import { nextMidnightUtc, utcDay, zoomTime } from "./clock.js";
import { MSG_DAILY, MSG_QPS, ZoomError } from "./errors.js";
import type { Headers } from "./http-io.js";
import { categoryLimit, groupCreatesPerDay, userCreatesPerDay, type RateCategory, type SimConfig } from "./options.js";

const CATEGORY_NAME: Record<RateCategory, string> = { light: "Light", medium: "Medium", heavy: "Heavy" };

interface Window {
  slot: number;
  count: number;
}

function take(window: Window, slot: number): number {
  if (window.slot !== slot) {
    window.slot = slot;
    window.count = 0;
  }
  return window.count;
}

export type Cap = "userCreate" | "groupCreate";

export class RateLimiter {
  private readonly second: Record<RateCategory, Window> = this.windows();
  private readonly day: Record<RateCategory, Window> = this.windows();
  private readonly caps: Record<Cap, Window> = { userCreate: { slot: -1, count: 0 }, groupCreate: { slot: -1, count: 0 } };

  reset(): void {
    for (const w of [...Object.values(this.second), ...Object.values(this.day), ...Object.values(this.caps)]) {
      w.slot = -1;
      w.count = 0;
    }
  }

  /**
   * Counts one call of `category`. Fills `headers`; throws 429 when a limit is reached
   * (and limits are on). Refused calls are not counted.
   */
  admit(config: SimConfig, category: RateCategory, now: number, headers: Headers): void {
    const limit = categoryLimit(config, category);
    const sec = this.second[category];
    const usedSec = take(sec, Math.floor(now / 1000));
    headers["x-ratelimit-category"] = CATEGORY_NAME[category];
    if (limit.daily !== undefined) {
      const day = this.day[category];
      const usedDay = take(day, utcDay(now));
      if (config.rateLimits && usedDay >= limit.daily) {
        throw dailyError(limit.daily, now, headers);
      }
      if (config.rateLimits && usedSec >= limit.qps) throw qpsError(limit.qps, headers);
      day.count += 1;
      sec.count += 1;
      headers["x-ratelimit-type"] = "Daily-limit";
      headers["x-ratelimit-limit"] = String(limit.daily);
      headers["x-ratelimit-remaining"] = String(Math.max(0, limit.daily - day.count));
      return;
    }
    if (config.rateLimits && usedSec >= limit.qps) throw qpsError(limit.qps, headers);
    sec.count += 1;
    headers["x-ratelimit-type"] = "QPS";
    headers["x-ratelimit-limit"] = String(limit.qps);
    headers["x-ratelimit-remaining"] = String(Math.max(0, limit.qps - sec.count));
  }

  /** Throws the daily 429 when the cap is used up; `commit` afterwards counts one success. */
  checkCap(config: SimConfig, cap: Cap, now: number, headers: Headers): void {
    if (!config.rateLimits) return;
    const max = cap === "userCreate" ? userCreatesPerDay(config) : groupCreatesPerDay(config);
    if (take(this.caps[cap], utcDay(now)) >= max) throw dailyError(max, now, headers);
  }

  commitCap(cap: Cap, now: number): void {
    const w = this.caps[cap];
    take(w, utcDay(now));
    w.count += 1;
  }

  private windows(): Record<RateCategory, Window> {
    return { light: { slot: -1, count: 0 }, medium: { slot: -1, count: 0 }, heavy: { slot: -1, count: 0 } };
  }
}

function qpsError(limit: number, headers: Headers): ZoomError {
  headers["x-ratelimit-type"] = "QPS";
  headers["x-ratelimit-limit"] = String(limit);
  headers["x-ratelimit-remaining"] = "0";
  headers["retry-after"] = "1";
  return new ZoomError(429, 429, MSG_QPS);
}

/** Daily limits answer with `Retry-After` as an ISO date-time: the next midnight GMT. */
function dailyError(limit: number, now: number, headers: Headers): ZoomError {
  headers["x-ratelimit-type"] = "Daily-limit";
  headers["x-ratelimit-limit"] = String(limit);
  headers["x-ratelimit-remaining"] = "0";
  headers["retry-after"] = zoomTime(nextMidnightUtc(now));
  return new ZoomError(429, 429, MSG_DAILY);
}
