#!/usr/bin/env node
// zoom-scim's command line: serve (default), simulate, hash-token, pending, breaker, drift, plan, apply, audit.
import { hashToken } from "../config/token-hash.js";
import { printAudit } from "./audit.js";
import { runBreakerCommand } from "./breaker.js";
import { runDriftCommand } from "./drift.js";
import { runApplyCommand, runPlanCommand } from "./plan.js";
import { printPending } from "./pending.js";
import { serve } from "./serve.js";

const USAGE = `Usage: zoom-scim <command>

Commands:
  serve                 Serve SCIM (default). Without Zoom credentials it runs in sandbox mode against the
                        built-in Zoom simulator. Configuration comes from the environment: see README.md.
  simulate [flags]      Run the Zoom simulator on its own (see docs/simulator.md for its flags).
  hash-token <token>    Print the SHA-256 digest of a bearer token, for a tenants file's bearerTokenSha256.
  pending [--tenant <name>] [--json]
                        List pending users with the changes waiting for their acceptance, failed attempts and
                        last errors, from the store file ZOOM_SCIM_DB (no Zoom credentials needed).
  breaker status|release [--tenant <name>] [--json]
                        Show or release the circuit breaker for destructive changes, in the store ZOOM_SCIM_DB
                        (every replica sees a release at once).
  drift [--tenant <name>] [--json] [--fix attributes|status|memberships]
                        Compare what the IdPs last set (the store) with Zoom now, using the tenant's Zoom app;
                        --fix restores the IdP's intent for one kind, through the circuit breaker.
  plan [--tenant <name>] [--json] [--after <seq>]
                        A preview tenant's plan (mode "preview" or SCIM_MODE=preview): the Zoom calls its writes
                        would make, summarised and per resource, from the store ZOOM_SCIM_DB.
  plan skip <seq> [--tenant <name>]
                        Do not send the failed step <seq> (one apply stopped at); the next apply goes on past it.
  apply [--tenant <name>] [--json]
                        Send the plan to Zoom in order, under the rate limiter and the circuit breaker, each step
                        an audit entry; after a crash or a stop, run it again to go on where it stopped.
  audit [--tenant <name>] [--user <email|id>] [--since <24h|date-time>] [--limit <n>] [--json]
                        The audit trail of provisioning actions (who changed what, from which IdP, and what
                        Zoom answered), oldest first, from the store ZOOM_SCIM_DB (no Zoom credentials needed).
  help                  Show this text.
`;

const stdout = (text: string): void => void process.stdout.write(text);
const stderr = (text: string): void => void process.stderr.write(text);

/** A command that answers its exit code: the process ends with it once its output is flushed. */
async function exitWith(command: Promise<number>): Promise<void> {
  const code = await command;
  if (code !== 0) process.exitCode = code;
}

async function main(argv: string[]): Promise<void> {
  const [command = "serve", ...rest] = argv;
  switch (command) {
    case "serve":
      await serve(process.env);
      return;
    case "simulate": {
      const { runStandalone, StandaloneUsageError } = await import("../simulator/standalone.js");
      let simulator;
      try {
        simulator = await runStandalone(rest, process.env);
      } catch (error) {
        // --help: the usage text, and success.
        if (!(error instanceof StandaloneUsageError)) throw error;
        process.stdout.write(`${error.message}\n`);
        return;
      }
      const stop = (): void => void simulator.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      return;
    }
    case "hash-token": {
      const token = rest[0];
      if (!token) {
        process.stderr.write("hash-token needs the token: zoom-scim hash-token <token>\n");
        process.exit(2);
      }
      process.stdout.write(`${hashToken(token)}\n`);
      return;
    }
    case "pending":
      return exitWith(printPending(rest, process.env, stdout, stderr));
    case "breaker":
      return exitWith(runBreakerCommand(rest, process.env, stdout, stderr));
    case "drift":
      return exitWith(runDriftCommand(rest, process.env, { out: stdout, err: stderr, tty: process.stderr.isTTY }));
    case "plan":
      return exitWith(runPlanCommand(rest, process.env, { out: stdout, err: stderr, tty: process.stderr.isTTY }));
    case "apply":
      return exitWith(runApplyCommand(rest, process.env, { out: stdout, err: stderr, tty: process.stderr.isTTY }));
    case "audit":
      return exitWith(printAudit(rest, process.env, stdout, stderr));
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`zoom-scim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
