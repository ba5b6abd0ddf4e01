// Injected faults for client testing: per-endpoint error rates, fixed or random latency,
// timeouts (the request is held unanswered), dropped connections, forced 429 and 5xx answers;
// and, with `applyFirst`, any of the last three after the call has taken effect (the answer is lost).
import { isRecord } from "./http-io.js";

export interface FaultRuleInput {
  /** HTTP method to match; any when absent. */
  method?: string;
  /**
   * Path pattern: `*` or `{name}` matches one segment, `**` anything; e.g. `/v2/users/*`,
   * `/v2/users/{userId}/status`, `/oauth/token`. Any path when absent.
   */
  path?: string;
  /** Chance (0..1) that a matching call is affected; default 1. */
  probability?: number;
  /** Affect only the next N matching calls, then the rule disappears. */
  count?: number;
  /** Added latency: a fixed number of ms, or `[min, max]` for a uniform random delay. */
  latencyMs?: number | [number, number];
  /** Hold the request without answering until the client gives up (or `holdMs`, then drop the connection). */
  timeout?: boolean;
  holdMs?: number;
  /** Close the connection at once, without an answer (the client sees a reset). */
  drop?: boolean;
  /**
   * Run the call first (it takes effect: a user is created, a group deleted …), then let `status`, `timeout` or
   * `drop` replace its answer: "Zoom did it, but the answer was lost".
   */
  applyFirst?: boolean;
  /** Forced answer: a status (429, 500, 503 …) with an optional Zoom code, message, body and headers. */
  status?: number;
  code?: number;
  message?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FaultRule extends FaultRuleInput {
  id: number;
  remaining: number | undefined;
  matcher: RegExp | undefined;
}

function compilePattern(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i += 1;
    } else if (ch === "*") {
      re += "[^/]+";
    } else if (ch === "{") {
      const close = pattern.indexOf("}", i);
      if (close < 0) throw new Error(`unclosed "{" in path pattern ${pattern}`);
      re += "[^/]+";
      i = close;
    } else {
      re += ch.replace(/[.+?^$()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

/** Checks a rule from the control plane; returns an error message or undefined. */
export function checkFaultInput(input: unknown): string | undefined {
  if (!isRecord(input)) return "a fault rule must be an object";
  const r = input as FaultRuleInput;
  if (r.method !== undefined && typeof r.method !== "string") return "method must be a string";
  if (r.path !== undefined && typeof r.path !== "string") return "path must be a string";
  if (r.probability !== undefined && (typeof r.probability !== "number" || r.probability < 0 || r.probability > 1)) {
    return "probability must be a number between 0 and 1";
  }
  if (r.count !== undefined && (!Number.isInteger(r.count) || r.count < 1)) return "count must be a positive integer";
  if (r.latencyMs !== undefined) {
    const l = r.latencyMs;
    const ok =
      (typeof l === "number" && l >= 0) ||
      (Array.isArray(l) && l.length === 2 && l.every((x) => typeof x === "number" && x >= 0) && l[0] <= l[1]);
    if (!ok) return "latencyMs must be a non-negative number or [min, max]";
  }
  if (r.timeout !== undefined && typeof r.timeout !== "boolean") return "timeout must be a boolean";
  if (r.holdMs !== undefined && (typeof r.holdMs !== "number" || r.holdMs < 0)) return "holdMs must be a non-negative number";
  if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 400 || r.status > 599)) {
    return "status must be an HTTP error status (400-599)";
  }
  if (r.code !== undefined && !Number.isInteger(r.code)) return "code must be an integer";
  if (r.message !== undefined && typeof r.message !== "string") return "message must be a string";
  if (r.headers !== undefined && (!isRecord(r.headers) || !Object.values(r.headers).every((v) => typeof v === "string"))) {
    return "headers must map names to strings";
  }
  if (r.drop !== undefined && typeof r.drop !== "boolean") return "drop must be a boolean";
  if (r.applyFirst !== undefined && typeof r.applyFirst !== "boolean") return "applyFirst must be a boolean";
  const answers = [r.status !== undefined, r.timeout === true, r.drop === true].filter(Boolean).length;
  if (answers > 1) return "status, timeout and drop are alternatives: give one";
  if (answers === 0 && r.latencyMs === undefined) return "a fault rule needs status, timeout, drop or latencyMs";
  if (r.applyFirst && answers === 0) return "applyFirst needs status, timeout or drop: the answer that replaces the call's";
  if (r.path !== undefined) {
    try {
      compilePattern(r.path);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

export class FaultSet {
  private rules: FaultRule[] = [];
  private nextId = 1;

  get size(): number {
    return this.rules.length;
  }

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      ...input,
      method: input.method?.toUpperCase(),
      id: this.nextId++,
      remaining: input.count,
      matcher: input.path === undefined ? undefined : compilePattern(input.path),
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule that fires for this call (counting it), if any. */
  pick(method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.matcher && !rule.matcher.test(path)) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) this.remove(rule.id);
      }
      return rule;
    }
    return undefined;
  }
}

export function latencyOf(rule: FaultRule): number {
  const l = rule.latencyMs;
  if (l === undefined) return 0;
  if (typeof l === "number") return l;
  return l[0] + Math.random() * (l[1] - l[0]);
}
