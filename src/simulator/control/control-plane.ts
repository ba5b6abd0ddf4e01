// The control plane under /_sim/ (no auth, never logged): reset, seed, invitations, state
// inspection, faults, call log, clock, config and webhooks. Answers are JSON; errors are
// `{"error": "..."}` with a 4xx status.
import type { IncomingMessage, ServerResponse } from "node:http";
import { zoomTime } from "../clock.js";
import { checkFaultInput, type FaultRuleInput } from "../faults.js";
import { parseJsonObject, readBody, sendJson, type Headers } from "../http-io.js";
import { InvitationError, acceptInvitation, expireInvitation } from "../invitations.js";
import type { GroupRecord } from "../model/groups.js";
import type { UserRecord } from "../model/users.js";
import type { Simulator } from "../sim.js";
import { patchConfig, publicConfig } from "./config-patch.js";
import { SeedError, applySeed, type SeedRequest } from "./seed.js";
import { PhoneSetupError, applyPhoneSetup, phoneState, userPhoneState } from "./phone-setup.js";

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ControlRequest {
  method: string;
  /** Path segments after /_sim, decoded. */
  parts: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

type Answer = { status: number; body: unknown };

const ok = (body: unknown, status = 200): Answer => ({ status, body });

/** Everything the simulator stores about a user, pending or not. */
export function userState(sim: Simulator, user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    status: user.status,
    type: user.type,
    role_id: user.role_id,
    role_name: sim.account.roles.get(user.role_id)?.name ?? "Member",
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: user.display_name,
    group_ids: [...user.groupIds],
    invitation: user.status !== "pending" ? "none" : user.invitationExpired ? "expired" : "pending",
    creation: user.creation,
    created_at: zoomTime(user.createdAt),
    pmi: user.pmi ?? null,
    login_types: user.loginTypes,
    profile: user.profile,
    email_changes_24h: user.emailChanges.filter((t) => sim.now() - t < 86_400_000).length,
    sso_sign_outs: user.ssoSignOuts,
    auto_accept_scheduled: sim.invitationTimers.has(user.id),
    phone: userPhoneState(sim, user.id),
  };
}

export function groupState(sim: Simulator, group: GroupRecord): Record<string, unknown> {
  const members = [...group.members.keys()].map((id) => sim.account.users.getById(id)).filter((u): u is UserRecord => !!u);
  return {
    id: group.id,
    name: group.name,
    total_members: sim.account.visibleMemberCount(group),
    member_ids: members.filter((u) => u.status !== "pending").map((u) => u.id),
    pending_member_ids: members.filter((u) => u.status === "pending").map((u) => u.id),
    members: members.map((u) => ({ id: u.id, email: u.email, status: u.status })),
  };
}

function findUser(sim: Simulator, ref: string | undefined): UserRecord {
  const user = ref === undefined ? undefined : sim.account.users.find(ref);
  if (!user) throw new ControlError(404, `no such user: ${ref ?? ""}`);
  return user;
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ControlError(400, `${name} must be a non-negative integer`);
  return n;
}

function route(sim: Simulator, r: ControlRequest): Answer | Promise<Answer> {
  const [head, id, action] = r.parts;
  // The second segment is an id under users/, groups/ and faults/, a literal elsewhere.
  const shape = r.parts.map((p, i) => (i === 1 && (head === "users" || head === "groups" || head === "faults") ? ":id" : p));
  const key = `${r.method} ${shape.join("/")}`;
  switch (key) {
    case "GET ":
      return ok({
        accountId: sim.config.accountId,
        clientId: sim.config.clientId,
        plan: sim.config.plan,
        users: sim.account.users.size(),
        groups: sim.account.groups.size(),
        ownerId: sim.account.owner.id,
        ownerEmail: sim.account.owner.email,
        now: new Date(sim.now()).toISOString(),
        rssBytes: process.memoryUsage().rss,
        heapUsedBytes: process.memoryUsage().heapUsed,
      });
    case "POST reset":
      sim.reset({ revokeTokens: r.body.revokeTokens === true });
      return ok({ reset: true, ownerId: sim.account.owner.id });
    case "POST seed":
      return ok(applySeed(sim, r.body as SeedRequest), 201);
    case "GET phone":
      return ok(phoneState(sim));
    case "POST phone":
      return ok(applyPhoneSetup(sim, r.body), 201);
    case "GET users": {
      const status = r.query.get("status");
      const limit = intParam(r.query, "limit", 1000);
      const out: Record<string, unknown>[] = [];
      for (const u of sim.account.users.all()) {
        if (out.length >= limit) break;
        if (!status || u.status === status) out.push(userState(sim, u));
      }
      return ok({ total: sim.account.users.size(), users: out });
    }
    case "GET users/:id":
      return ok(userState(sim, findUser(sim, id)));
    case "POST users/:id/accept-invitation":
    case "POST users/:id/expire-invitation": {
      const user = findUser(sim, id);
      if (action === "accept-invitation") acceptInvitation(sim, user);
      else expireInvitation(sim, user);
      return ok(userState(sim, user));
    }
    case "GET groups":
      return ok({ total: sim.account.groups.size(), groups: [...sim.account.groups.all()].map((g) => groupState(sim, g)) });
    case "GET groups/:id": {
      const group = sim.account.groups.get(id ?? "") ?? sim.account.groups.getByName(id ?? "");
      if (!group) throw new ControlError(404, `no such group: ${id ?? ""}`);
      return ok(groupState(sim, group));
    }
    case "GET roles":
      return ok({
        roles: [...sim.account.roles.all()].map((role) => ({
          id: role.id,
          name: role.name,
          builtin: role.builtin,
          member_ids: [...sim.account.users.all()].filter((u) => u.role_id === role.id).map((u) => u.id),
        })),
      });
    case "GET calls":
      return ok(sim.callLog.snapshot(intParam(r.query, "since", 0)));
    case "DELETE calls":
      sim.callLog.clear();
      return ok({ cleared: true });
    case "GET faults":
      return ok({ faults: sim.faults.list().map(({ matcher: _m, ...rule }) => rule) });
    case "POST faults":
      return addFaults(sim, r.body);
    case "DELETE faults":
      sim.faults.clear();
      return ok({ cleared: true });
    case "DELETE faults/:id":
      if (!sim.faults.remove(Number(id))) throw new ControlError(404, `no such fault: ${id ?? ""}`);
      return ok({ removed: Number(id) });
    case "POST tokens/revoke":
      return ok({ revoked: sim.tokens.revokeAll() });
    case "GET clock":
      return ok({ now: new Date(sim.now()).toISOString(), offsetMs: sim.clock.offset() });
    case "POST clock": {
      const seconds = r.body.advanceSeconds ?? 0;
      const ms = r.body.advanceMs ?? 0;
      if (typeof seconds !== "number" || typeof ms !== "number" || seconds < 0 || ms < 0) {
        throw new ControlError(400, "advanceSeconds and advanceMs must be non-negative numbers");
      }
      sim.clock.advance(seconds * 1000 + ms);
      return ok({ now: new Date(sim.now()).toISOString(), offsetMs: sim.clock.offset() });
    }
    case "GET config":
      return ok(publicConfig(sim.config));
    case "PATCH config": {
      const problem = patchConfig(sim.config, r.body);
      if (problem) throw new ControlError(400, problem);
      sim.callLog.resize(sim.config.callLogLimit);
      return ok(publicConfig(sim.config));
    }
    case "GET webhooks":
      return r.query.get("wait") === "true"
        ? sim.webhooks.idle().then(() => ok({ deliveries: sim.webhooks.log() }))
        : ok({ deliveries: sim.webhooks.log() });
    case "DELETE webhooks":
      sim.webhooks.clearLog();
      return ok({ cleared: true });
    case "POST webhooks/validate":
      return sim.webhooks.validateEndpoint().then((result) => ok(result));
    default:
      throw new ControlError(404, `unknown control endpoint: ${r.method} /_sim/${r.parts.join("/")}`);
  }
}

function addFaults(sim: Simulator, body: Record<string, unknown>): Answer {
  let revoked: number | undefined;
  if (body.revokeTokens === true) revoked = sim.tokens.revokeAll();
  const inputs: unknown[] = Array.isArray(body.rules)
    ? body.rules
    : body.revokeTokens === true && Object.keys(body).length === 1
      ? []
      : [body];
  for (const input of inputs) {
    const problem = checkFaultInput(input);
    if (problem) throw new ControlError(400, problem);
  }
  const added = inputs.map((input) => sim.faults.add(input as FaultRuleInput).id);
  return ok(revoked === undefined ? { ids: added } : { ids: added, revoked }, 201);
}

export function createControlHandler(sim: Simulator) {
  return (req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string, headers: Headers): void => {
    const answer = async (): Promise<Answer> => {
      let body: Record<string, unknown> = {};
      if (method === "POST" || method === "PATCH" || method === "PUT") {
        const text = await readBody(req);
        if (text.trim() !== "") {
          const parsed = parseJsonObject(text);
          if (!parsed) throw new ControlError(400, "body must be a JSON object");
          body = parsed;
        }
      }
      let parts: string[];
      try {
        parts = path
          .split("/")
          .slice(2)
          .filter((p) => p !== "")
          .map(decodeURIComponent);
      } catch {
        throw new ControlError(400, "malformed path");
      }
      return route(sim, { method, parts, query: new URLSearchParams(query), body });
    };
    answer().then(
      (a) => sendJson(res, a.status, a.body, headers),
      (e: unknown) => {
        const status =
          e instanceof ControlError || e instanceof SeedError
            ? e.status
            : e instanceof PhoneSetupError
              ? 400
              : e instanceof InvitationError
                ? 409
                : 500;
        if (status === 500) console.error("zoom simulator control plane:", e);
        sendJson(res, status, { error: (e as Error).message }, headers);
      },
    );
  };
}
