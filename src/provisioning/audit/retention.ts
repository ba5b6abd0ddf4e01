// The audit trail's retention: entries older than the configured days are deleted at start and then hourly.
import type { AuditLog } from "../../store/types.js";

const PRUNE_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RetentionLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export class AuditRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: AuditLog,
    private readonly retentionDays: number,
    private readonly logger?: RetentionLogger,
  ) {}

  /** One prune now; answers how many entries went. */
  async prune(now = Date.now()): Promise<number> {
    try {
      const removed = await this.log.prune(new Date(now - this.retentionDays * DAY_MS));
      if (removed > 0) this.logger?.info({ removed, retentionDays: this.retentionDays }, "audit entries past retention deleted");
      return removed;
    } catch (error) {
      this.logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "audit retention prune failed; retried in an hour",
      );
      return 0;
    }
  }

  /** Prunes at once (the server starts once it is done), then hourly (the timer never keeps the process alive). */
  async start(): Promise<void> {
    this.running = this.prune();
    await this.running;
    this.timer = setInterval(() => {
      this.running = this.prune();
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
