// `zoom-scim audit [--tenant T] [--user EMAIL|ID] [--since 24h] [--limit N] [--json]`: the audit trail, read from
// the store (ZOOM_SCIM_DB) without Zoom credentials, oldest first; the server may keep running meanwhile.
import { existsSync } from "node:fs";
import { auditPage, formatAuditTable, parseSince } from "../provisioning/audit/audit-query.js";
import type { AuditEntry } from "../store/types.js";
import { isPostgresUrl, openStore } from "../store/open-store.js";

export const AUDIT_USAGE = "zoom-scim audit [--tenant <name>] [--user <email|id>] [--since <24h|ISO date-time>] [--limit <n>] [--json]";

const DEFAULT_LIMIT = 1_000;

interface AuditArgs {
  tenant?: string;
  user?: string;
  since?: string;
  limit: number;
  json: boolean;
}

function parseArgs(args: string[], err: (text: string) => void): AuditArgs | undefined {
  const parsed: AuditArgs = { limit: DEFAULT_LIMIT, json: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === "--json") {
      parsed.json = true;
      continue;
    }
    if (!["--tenant", "--user", "--since", "--limit"].includes(arg ?? "") || value === undefined) {
      err(
        `Unknown argument "${arg ?? ""}"${value === undefined && arg?.startsWith("--") ? " (it needs a value)" : ""}. Usage: ${AUDIT_USAGE}\n`,
      );
      return undefined;
    }
    i += 1;
    if (arg === "--tenant") parsed.tenant = value;
    else if (arg === "--user") parsed.user = value;
    else if (arg === "--since") {
      const since = parseSince(value);
      if (!since) {
        err(`--since "${value}" is neither a duration (30m, 24h, 7d) nor an ISO 8601 date-time (2026-06-01T00:00:00Z).\n`);
        return undefined;
      }
      parsed.since = since;
    } else {
      const limit = Number(value);
      if (!Number.isInteger(limit) || limit < 1) {
        err(`--limit "${value}" must be a positive whole number.\n`);
        return undefined;
      }
      parsed.limit = limit;
    }
  }
  return parsed;
}

/** Prints with `out`, problems with `err`; answers the exit code. */
export async function printAudit(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  err: (text: string) => void = out,
): Promise<number> {
  const parsed = parseArgs(args, err);
  if (!parsed) return 2;
  const path = env.ZOOM_SCIM_DB || "data/zoom-scim.sqlite";
  if (!isPostgresUrl(path) && (path === ":memory:" || !existsSync(path))) {
    err(
      `No store at ${path}: set ZOOM_SCIM_DB to the server's database (sandbox mode keeps its store in memory; use GET /admin/audit there).\n`,
    );
    return 2;
  }
  const store = await openStore(path);
  try {
    const entries: AuditEntry[] = [];
    let afterSeq: number | undefined;
    // Page by page up to the limit: a long trail is never held whole.
    while (entries.length < parsed.limit) {
      const page = await auditPage((q) => store.audit.list(q), {
        tenant: parsed.tenant,
        user: parsed.user,
        since: parsed.since,
        afterSeq,
        limit: Math.min(500, parsed.limit - entries.length),
      });
      entries.push(...page.entries);
      const last = page.entries.at(-1);
      if (!page.next || !last) break;
      afterSeq = last.seq;
    }
    out(parsed.json ? `${JSON.stringify(entries, null, 2)}\n` : formatAuditTable(entries));
    return 0;
  } finally {
    await store.close();
  }
}
