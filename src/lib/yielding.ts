// Work over large arrays that lets the event loop breathe: a sort and a loop that hand control back every so often,
// so that a 100,000-user snapshot being built or judged never holds other requests for long.
import { setImmediate as yieldToLoop } from "node:timers/promises";

/** Elements handled between two yields. */
export const YIELD_EVERY = 1_000;

/** Calls `each` on every item, yielding to the event loop every `every` items. */
export async function forEachYielding<T>(items: readonly T[], each: (item: T, index: number) => void, every = YIELD_EVERY): Promise<void> {
  for (let start = 0; start < items.length; start += every) {
    if (start > 0) await yieldToLoop();
    const end = Math.min(items.length, start + every);
    for (let i = start; i < end; i++) each(items[i] as T, i);
  }
}

/**
 * A stable sort (a merge sort of runs of `every` items) that yields between runs and within merges. Already-ordered
 * input (Zoom lists users in creation order) costs one pass per merge level and no sort of the runs beyond a check.
 */
export async function sortYielding<T>(items: readonly T[], compare: (a: T, b: T) => number, every = YIELD_EVERY): Promise<T[]> {
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += every) {
    if (start > 0) await yieldToLoop();
    // Array.prototype.sort is stable (ES2019).
    runs.push(items.slice(start, start + every).sort(compare));
  }
  let budget = every;
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const left = runs[i] as T[];
      const right = runs[i + 1];
      if (!right) {
        next.push(left);
        continue;
      }
      const merged: T[] = new Array<T>(left.length + right.length);
      let l = 0;
      let r = 0;
      let m = 0;
      while (l < left.length || r < right.length) {
        // Ties take the left run's item first: stable.
        if (r >= right.length || (l < left.length && compare(left[l] as T, right[r] as T) <= 0)) merged[m++] = left[l++] as T;
        else merged[m++] = right[r++] as T;
        if (--budget === 0) {
          budget = every;
          await yieldToLoop();
        }
      }
      next.push(merged);
    }
    runs = next;
  }
  return runs[0] ?? [];
}
