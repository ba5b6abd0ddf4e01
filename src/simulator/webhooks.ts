// Event delivery to one configured endpoint, signed as Zoom signs (docs/zoom-behaviour.md §8):
//   x-zm-request-timestamp: <unix seconds>
//   x-zm-signature: v0=<hex HMAC-SHA256(secretToken, "v0:" + timestamp + ":" + rawBody)>
// Events go out one at a time in the order they happened; there are no retries.
import { createHmac, randomBytes } from "node:crypto";
import { newTrackingId } from "./ids.js";

export interface WebhookTarget {
  url: string;
  secretToken: string;
}

export interface Delivery {
  seq: number;
  event: string;
  at: string;
  status?: number;
  error?: string;
  durationMs?: number;
}

export function signWebhook(secretToken: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", secretToken).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

const DELIVERY_TIMEOUT_MS = 10_000;
const KEEP_DELIVERIES = 1000;

export class WebhookSender {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private seq = 0;
  private deliveries: Delivery[] = [];
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly target: () => WebhookTarget | undefined,
    private readonly eventTime: () => number,
  ) {}

  /** Queues `event`; a no-op when no webhook is configured. */
  send(event: string, payload: Record<string, unknown>): void {
    const target = this.target();
    if (!target || this.closed) return;
    const body = JSON.stringify({ event, payload, event_ts: this.eventTime() });
    this.pending += 1;
    this.queue = this.queue
      .then(() => this.deliver(target, event, body))
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Resolves once every queued event has been attempted. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  log(): Delivery[] {
    return this.deliveries;
  }

  clearLog(): void {
    this.deliveries = [];
  }

  /**
   * Zoom's endpoint check: posts `endpoint.url_validation` with a plainToken and expects
   * `{plainToken, encryptedToken: hex HMAC-SHA256(secretToken, plainToken)}` back.
   */
  async validateEndpoint(): Promise<{ ok: boolean; status?: number; error?: string }> {
    const target = this.target();
    if (!target) return { ok: false, error: "no webhook configured" };
    const plainToken = randomBytes(16).toString("base64url");
    const body = JSON.stringify({ payload: { plainToken }, event_ts: this.eventTime(), event: "endpoint.url_validation" });
    try {
      const res = await this.post(target, body);
      const answer = (await res.json()) as { plainToken?: unknown; encryptedToken?: unknown };
      const expected = createHmac("sha256", target.secretToken).update(plainToken).digest("hex");
      const ok = res.status === 200 && answer.plainToken === plainToken && answer.encryptedToken === expected;
      return ok ? { ok, status: res.status } : { ok, status: res.status, error: "wrong plainToken or encryptedToken" };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  close(): void {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
  }

  private async deliver(target: WebhookTarget, event: string, body: string): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const record: Delivery = { seq: ++this.seq, event, at: new Date(started).toISOString() };
    try {
      const res = await this.post(target, body);
      await res.arrayBuffer();
      record.status = res.status;
    } catch (e) {
      record.error = (e as Error).message;
    }
    record.durationMs = Date.now() - started;
    this.deliveries.push(record);
    if (this.deliveries.length > KEEP_DELIVERIES) this.deliveries.shift();
  }

  private async post(target: WebhookTarget, body: string): Promise<Response> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), DELIVERY_TIMEOUT_MS);
    this.inFlight.add(controller);
    try {
      return await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Zoom Marketplace/1.1a",
          "x-zm-request-timestamp": timestamp,
          "x-zm-signature": signWebhook(target.secretToken, timestamp, body),
          "x-zm-trackingid": newTrackingId(),
        },
        body,
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}
