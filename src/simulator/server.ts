// Request dispatch on node:http. For /v2 calls the order is: route → injected faults → body
// → token (401/124) → scope (400/4711) → rate limits (429) → paid plan (400/200) → handler
// → the answer, or an `applyFirst` fault's instead.
// Every answer carries x-zm-trackingid; every /v2 and /oauth/token call is logged.
import type { IncomingMessage, ServerResponse } from "node:http";
import { matchRoute, type RouteMatch } from "./api/operations.js";
import type { ApiResult } from "./api/types.js";
import type { CallCategory } from "./call-log.js";
import { MSG_QPS, ZoomError, err } from "./errors.js";
import { latencyOf, type FaultRule } from "./faults.js";
import { BodyTooLarge, parseJsonObject, readBody, sendEmpty, sendJson, sendRaw, splitUrl, type Headers } from "./http-io.js";
import { newTrackingId } from "./ids.js";
import { answerTokenRequest } from "./oauth.js";
import type { Simulator } from "./sim.js";

/** What the call log needs to know about a call in progress. */
interface Call {
  method: string;
  path: string;
  query: string;
  category: CallCategory;
  operation: string | undefined;
  startedAt: number;
  at: number;
  /** The answer's x-zm-trackingid. */
  trackingId?: string | undefined;
}

export type ControlHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  query: string,
  headers: Headers,
) => void;

export function createRequestHandler(sim: Simulator, control: ControlHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const headers: Headers = { "x-zm-trackingid": newTrackingId() };
    const method = req.method ?? "GET";
    const { path, query } = splitUrl(req.url ?? "/");
    if (path === "/_sim" || path.startsWith("/_sim/")) {
      control(req, res, method, path, query, headers);
    } else if (path === "/oauth/token") {
      void handleOAuth(sim, req, res, method, path, query, headers);
    } else if (path.startsWith("/v2/")) {
      void handleApi(sim, req, res, method, path, query, headers);
    } else {
      sendJson(res, 404, err.notRecognized().body(), headers);
    }
  };
}

function log(sim: Simulator, call: Call, status: number, code?: number, appliedStatus?: number): void {
  sim.callLog.record({
    method: call.method,
    path: call.path,
    query: call.query,
    status,
    category: call.category,
    at: new Date(call.at).toISOString(),
    operation: call.operation,
    code,
    ...(appliedStatus === undefined ? {} : { appliedStatus }),
    ...(call.trackingId ? { trackingId: call.trackingId } : {}),
    durationMs: Date.now() - call.startedAt,
  });
}

function sendError(sim: Simulator, res: ServerResponse, call: Call, e: unknown, headers: Headers): void {
  if (res.headersSent) return;
  if (res.destroyed) {
    // The client went away first: log the answer it would have had.
    log(sim, call, e instanceof ZoomError ? e.status : 500, e instanceof ZoomError ? e.code : 500);
    return;
  }
  if (e instanceof ZoomError) {
    if (e.headers) Object.assign(headers, e.headers);
    sendJson(res, e.status, e.body(), headers);
    log(sim, call, e.status, e.code);
    return;
  }
  console.error("zoom simulator: unexpected error", e);
  sendJson(res, 500, { code: 500, message: `Internal simulator error: ${(e as Error).message}` }, headers);
  log(sim, call, 500, 500);
}

function sendResult(sim: Simulator, res: ServerResponse, call: Call, result: ApiResult, headers: Headers): void {
  if (res.destroyed) return log(sim, call, result.status);
  if (result.body === undefined) sendEmpty(res, result.status, headers);
  else sendJson(res, result.status, result.body, headers);
  log(sim, call, result.status);
}

/**
 * Applies a fault that fired for this call, before the call runs. Returns true when the fault
 * answered (or is holding) the call, false when the call goes on (latency only, or `applyFirst`).
 */
async function applyFault(sim: Simulator, rule: FaultRule, res: ServerResponse, call: Call, headers: Headers): Promise<boolean> {
  const delay = latencyOf(rule);
  if (delay > 0) await sim.sleep(delay);
  if (rule.applyFirst) return false;
  return answerWithFault(sim, rule, res, call, headers);
}

/**
 * The fault's answer instead of the call's: a hold, a dropped connection or a forced status.
 * `appliedStatus` is what the call came to when it ran first (`applyFirst`), for the log.
 */
function answerWithFault(
  sim: Simulator,
  rule: FaultRule,
  res: ServerResponse,
  call: Call,
  headers: Headers,
  appliedStatus?: number,
): boolean {
  if (res.destroyed) {
    // The client went away first: nothing left to replace.
    log(sim, call, 0, undefined, appliedStatus);
    return true;
  }
  if (rule.drop) {
    log(sim, call, 0, undefined, appliedStatus);
    res.destroy();
    return true;
  }
  if (rule.timeout) {
    // Hold without answering until the client gives up, or drop the connection at the limit.
    const release = (): void => {
      clearTimeout(hold.timer);
      if (sim.held.delete(hold)) log(sim, call, 0, undefined, appliedStatus);
    };
    const hold = {
      timer: setTimeout(() => {
        release();
        res.destroy();
      }, rule.holdMs ?? sim.config.maxHoldMs),
      res,
    };
    sim.held.add(hold);
    res.on("close", release);
    return true;
  }
  if (rule.status === undefined) return false;
  // Header names are case-insensitive: lower-case them so a rule's Retry-After replaces the default.
  for (const [name, value] of Object.entries(rule.headers ?? {})) headers[name.toLowerCase()] = value;
  if (typeof rule.body === "string") {
    sendRaw(res, rule.status, rule.body, "text/html;charset=UTF-8", headers);
  } else {
    let body = rule.body;
    if (body === undefined) {
      const message = rule.message ?? (rule.status === 429 ? MSG_QPS : "Internal Server Error.");
      body = { code: rule.code ?? rule.status, message };
    }
    if (rule.status === 429) headers["retry-after"] ??= "1";
    sendJson(res, rule.status, body, headers);
  }
  log(sim, call, rule.status, rule.code ?? rule.status, appliedStatus);
  return true;
}

async function handleApi(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  query: string,
  headers: Headers,
): Promise<void> {
  const match: RouteMatch | undefined = matchRoute(method, path.slice(3));
  const now = sim.now();
  const call: Call = {
    method,
    path,
    query,
    category: match?.op.category ?? "light",
    operation: match ? `${method} /v2${match.op.template}` : undefined,
    startedAt: Date.now(),
    at: now,
    trackingId: headers["x-zm-trackingid"],
  };
  // An `applyFirst` fault that fired: the call runs, then the fault answers instead.
  let after: FaultRule | undefined;
  try {
    if (sim.faults.size > 0) {
      const rule = sim.faults.pick(method, path);
      if (rule && (await applyFault(sim, rule, res, call, headers))) return;
      if (rule?.applyFirst) after = rule;
    }
    if (!match) throw err.notRecognized();
    const op = match.op;
    let body: Record<string, unknown> = {};
    if (op.body) {
      let text: string;
      try {
        text = await readBody(req);
      } catch (e) {
        if (e instanceof BodyTooLarge) throw err.badJson();
        throw e;
      }
      const parsed = parseJsonObject(text);
      if (!parsed) throw err.badJson();
      body = parsed;
    }
    const at = sim.now();
    const token = bearer(req.headers.authorization);
    const check = token === undefined ? undefined : sim.tokens.check(token, at);
    if (!check?.ok) throw check?.reason === "expired" ? err.expiredToken() : err.invalidToken();
    const scopes = check.token.scopes;
    if (!op.scopes.some((s) => scopes.has(s))) throw err.missingScope(op.scopeName);
    sim.limiter.admit(sim.config, op.category, at, headers);
    if (op.paid && sim.config.plan === "free") throw err.paidOnly();
    const out = op.handler({ sim, params: match.params, query: new URLSearchParams(query), body, headers, now: at });
    const result = out instanceof Promise ? await out : out;
    if (after) answerWithFault(sim, after, res, call, headers, result.status);
    else sendResult(sim, res, call, result, headers);
  } catch (e) {
    // A simulator bug is still reported as one, fault or not.
    if (after && e instanceof ZoomError) answerWithFault(sim, after, res, call, headers, e.status);
    else sendError(sim, res, call, e, headers);
  }
}

function bearer(header: string | undefined): string | undefined {
  if (!header || header.length < 8) return undefined;
  if (header.slice(0, 7).toLowerCase() !== "bearer ") return undefined;
  const token = header.slice(7).trim();
  return token === "" ? undefined : token;
}

async function handleOAuth(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  query: string,
  headers: Headers,
): Promise<void> {
  const call: Call = {
    method,
    path,
    query,
    category: "oauth",
    operation: "POST /oauth/token",
    startedAt: Date.now(),
    at: sim.now(),
    trackingId: headers["x-zm-trackingid"],
  };
  let after: FaultRule | undefined;
  try {
    if (sim.faults.size > 0) {
      const rule = sim.faults.pick(method, path);
      if (rule && (await applyFault(sim, rule, res, call, headers))) return;
      if (rule?.applyFirst) after = rule;
    }
    if (method !== "POST") throw err.notRecognized();
    const text = await readBody(req);
    const answer = answerTokenRequest(sim.config, sim.tokens, sim.baseUrl, req.headers.authorization, text, sim.now());
    headers["cache-control"] = "no-store";
    if (after) return void answerWithFault(sim, after, res, call, headers, answer.status);
    sendJson(res, answer.status, answer.body, headers);
    log(sim, call, answer.status);
  } catch (e) {
    if (after && e instanceof ZoomError) answerWithFault(sim, after, res, call, headers, e.status);
    else sendError(sim, res, call, e, headers);
  }
}
