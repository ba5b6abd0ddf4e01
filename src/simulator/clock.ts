// The simulator's notion of time: a base clock plus an offset that `/_sim/clock` can advance,
// so tests can expire tokens, page tokens and daily limits without waiting.

export class SimClock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  offset(): number {
    return this.offsetMs;
  }

  resetOffset(): void {
    this.offsetMs = 0;
  }
}

/** Zoom's timestamp format: ISO 8601 in UTC without milliseconds. */
export function zoomTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Next midnight GMT after `ms`: when Zoom's daily limits reset. */
export function nextMidnightUtc(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export function utcDay(ms: number): number {
  return Math.floor(ms / 86_400_000);
}
