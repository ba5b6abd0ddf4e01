// `zoom-scim pending [--tenant <name>] [--json]`: what the pending lifecycle still owes Zoom, read from the store
// (ZOOM_SCIM_DB: the SQLite file or PostgreSQL URL) without Zoom credentials; the server may keep running meanwhile.
import { existsSync } from "node:fs";
import { formatPendingReport, pendingReport } from "../provisioning/lifecycle/pending-report.js";
import { isPostgresUrl, openStore } from "../store/open-store.js";

export const PENDING_USAGE = "zoom-scim pending [--tenant <name>] [--json]";

/** Prints the report with `out`, problems with `err`; answers the exit code. */
export async function printPending(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  err: (text: string) => void = out,
): Promise<number> {
  let tenant: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--json") json = true;
    else if (arg === "--tenant" && args[i + 1]) tenant = args[(i += 1)];
    else {
      err(`Unknown argument "${arg ?? ""}". Usage: ${PENDING_USAGE}\n`);
      return 2;
    }
  }
  const path = env.ZOOM_SCIM_DB || "data/zoom-scim.sqlite";
  if (!isPostgresUrl(path) && (path === ":memory:" || !existsSync(path))) {
    err(
      `No store at ${path}: set ZOOM_SCIM_DB to the server's database file (sandbox mode keeps its store in memory; use GET /admin/pending there).\n`,
    );
    return 2;
  }
  const store = await openStore(path);
  try {
    const tenants = tenant ? [tenant] : await store.lifecycle.listTenants();
    const reports = await Promise.all((tenants.length > 0 ? tenants : ["default"]).map((name) => pendingReport(store, name)));
    out(json ? `${JSON.stringify(tenant ? reports[0] : reports, null, 2)}\n` : reports.map(formatPendingReport).join(""));
    return 0;
  } finally {
    await store.close();
  }
}
