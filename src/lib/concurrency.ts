// Bounded concurrency and per-key serialisation: the two shapes of "not everything at once" the server needs.

/**
 * Runs `run` over `items` with at most `concurrency` calls in flight (a worker pool: a slow item does not hold
 * back a whole batch); answers the results in input order. The first rejection rejects the whole call, and no
 * item not yet started is started after it.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

export interface PartialRun<T> {
  /** The items whose run completed, in completion order. */
  done: T[];
  /** The first failure, when one happened: no item was started after it, those in flight were awaited. */
  failure?: { item: T; error: unknown };
}

/**
 * Like `mapConcurrent`, but a failure does not reject: it answers what completed and the first failure, so that a
 * caller applying changes one by one can say exactly what was and was not applied.
 */
export async function runUntilFailure<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
): Promise<PartialRun<T>> {
  const outcome: PartialRun<T> = { done: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (outcome.failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await run(item);
        outcome.done.push(item);
      } catch (error) {
        outcome.failure ??= { item, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return outcome;
}

/**
 * Serialises work per key within this process: work for one key starts when the previous work for that key has
 * settled, whatever its outcome; different keys run side by side. Keys are dropped once idle.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const settled = (): Promise<T> => work();
    const current = previous.then(settled, settled);
    this.tails.set(key, current);
    const release = (): void => {
      if (this.tails.get(key) === current) this.tails.delete(key);
    };
    current.then(release, release);
    return current;
  }

  /** Whether work for `key` is queued or running. */
  has(key: string): boolean {
    return this.tails.has(key);
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}

/** Thrown by withTimeout when the work did not settle in time (the work itself goes on). */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** `work`'s result, or a TimeoutError after `ms` milliseconds (probes and scrapes must answer, even if a read hangs). */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
