// Runs a list of Zoom steps in order and, when one fails, says which ones were applied and which were not,
// so that a client (and the admin reading its log) knows what happened, and repeating the request converges.
import { ScimError } from "../scim/errors.js";
import type { DestructiveChange, DestructiveKind } from "./guardrails/destructive.js";
import { scimErrorFromZoom } from "./zoom-errors.js";

export interface Step {
  /** What the step does, in words for an admin: "deactivating the user". */
  describe: string;
  run(): Promise<void>;
  /** The kind of destructive change the step makes when it is one (the circuit breaker settles by it). */
  counts?: DestructiveKind;
  /** Set once the step succeeded. */
  done?: boolean;
}

export async function runSteps(steps: readonly Step[]): Promise<string[]> {
  const applied: string[] = [];
  for (const [index, step] of steps.entries()) {
    try {
      await step.run();
      step.done = true;
      applied.push(step.describe);
    } catch (error) {
      const base = scimErrorFromZoom(error, step.describe);
      if (applied.length === 0 && index === steps.length - 1) throw base;
      const notApplied = steps.slice(index).map((s) => s.describe);
      const detail =
        `${base.detail} Applied before the failure: ${applied.length ? applied.join("; ") : "nothing"}. ` +
        `Not applied: ${notApplied.join("; ")}. Repeating the same request applies what is missing.`;
      throw new ScimError(base.status, base.scimType, detail, { retryAfterSeconds: base.retryAfterSeconds, cause: error });
    }
  }
  return applied;
}

/** The destructive changes whose kind a step that succeeded made: what a failed run still counts for the breaker. */
export function doneChanges(changes: readonly DestructiveChange[], steps: readonly Step[]): DestructiveChange[] {
  return changes.filter((change) => steps.some((s) => s.done && s.counts === change.kind));
}
