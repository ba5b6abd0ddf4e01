// Reading the audit trail, for the CLI and /admin/audit alike: `since` as a duration back from now (24h, 30m, 7d)
// or an ISO 8601 instant, opaque cursors, bounded pages, and a text table for people.
import type { AuditEntry, AuditQuery } from "../../store/types.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The ISO instant `since` names, or undefined when it names none. */
export function parseSince(text: string, nowMs = Date.now()): string | undefined {
  const duration = /^(\d+(?:\.\d+)?)([smhd])$/i.exec(text.trim());
  if (duration) return new Date(nowMs - Number(duration[1]) * (UNIT_MS[duration[2]?.toLowerCase() ?? ""] ?? 0)).toISOString();
  // A date-time, not a bare number (Date.parse would read "2026" as a year).
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The cursor of the page after `entry`: opaque to callers, a position in the trail here. */
export function cursorAfter(entry: AuditEntry): string {
  return Buffer.from(JSON.stringify({ after: entry.seq }), "utf8").toString("base64url");
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function parseCursor(cursor: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    return typeof parsed.after === "number" && Number.isSafeInteger(parsed.after) && parsed.after >= 0 ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

/** One page: the entries, and the cursor of the next page when there may be one. */
export async function auditPage(
  list: (query: AuditQuery) => Promise<AuditEntry[]>,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  // One more than asked tells whether another page follows.
  const found = await list({ ...query, limit: query.limit + 1 });
  const entries = found.slice(0, query.limit);
  const last = entries.at(-1);
  return { entries, next: found.length > query.limit && last ? cursorAfter(last) : null };
}

const show = (value: unknown): string =>
  value === null || value === undefined ? "∅" : typeof value === "string" ? value : JSON.stringify(value);

/** The entries as a table, each followed by its changes and Zoom calls, for a person at a terminal. */
export function formatAuditTable(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return "No audit entries match.\n";
  const rows = entries.map((e) => [
    e.at.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    e.tenant,
    e.actor,
    e.client ?? "-",
    e.method && e.route ? `${e.method} ${e.route}` : (e.method ?? e.kind),
    e.userName ?? e.resourceId ?? "-",
    e.outcome,
  ]);
  const header = ["TIME", "TENANT", "ACTOR", "CLIENT", "ACTION", "RESOURCE", "OUTCOME"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [line(header)];
  for (const [index, e] of entries.entries()) {
    out.push(line(rows[index] ?? []));
    const indent = "    ";
    if (e.kind !== "scim") out.push(`${indent}${e.kind}${e.originRequestId ? `, caused by request ${e.originRequestId}` : ""}`);
    if (e.detail) out.push(`${indent}${e.detail}`);
    for (const change of e.changes) out.push(`${indent}${change.attribute}: ${show(change.before)} → ${show(change.after)}`);
    for (const call of e.zoomCalls)
      out.push(`${indent}zoom ${call.method} ${call.path} ${call.status}${call.trackingId ? ` (${call.trackingId})` : ""}`);
    if (e.error) out.push(`${indent}error ${e.error.status}${e.error.scimType ? ` ${e.error.scimType}` : ""}: ${e.error.detail}`);
  }
  return `${out.join("\n")}\n`;
}
