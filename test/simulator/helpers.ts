// Shared test plumbing: start a simulator on an ephemeral port and talk to it over real HTTP.
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";

export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (unchecked cast), or undefined for an empty body. */
  body: T;
}

export interface ZoomErrorBody {
  code: number;
  message: string;
  errors?: { field: string; message: string }[];
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of `body` (for malformed JSON). */
  rawBody?: string;
  /** Bearer token; defaults to the harness's token; `null` sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

async function answer<T>(res: Response): Promise<HttpAnswer<T>> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

export class Harness {
  token = "";

  constructor(readonly sim: RunningSimulator) {}

  static async start(options: SimulatorOptions = {}): Promise<Harness> {
    const h = new Harness(await startSimulator({ port: 0, ...options }));
    h.token = await h.newToken();
    return h;
  }

  close(): Promise<void> {
    return this.sim.close();
  }

  basicAuth(id = this.sim.clientId, secret = this.sim.clientSecret): string {
    return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  }

  async requestToken(form?: string, authorization = this.basicAuth()): Promise<HttpAnswer<Record<string, unknown>>> {
    const res = await fetch(this.sim.oauthUrl, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: form ?? `grant_type=account_credentials&account_id=${encodeURIComponent(this.sim.accountId)}`,
    });
    return answer(res);
  }

  async newToken(): Promise<string> {
    const res = await this.requestToken();
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
    return res.body.access_token as string;
  }

  /** A Zoom API call: `path` is below /v2, with its query string if any. */
  async api<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    return answer<T>(await fetch(`${this.sim.apiUrl}${path}`, { method, headers, body }));
  }

  /** A control-plane call below /_sim. */
  async control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { "content-type": "application/json" };
    }
    return answer<T>(await fetch(`${this.sim.baseUrl}/_sim${path}`, init));
  }

  async createUser(email: string, action = "autoCreate", extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.api<{ id: string }>("POST", "/users", {
      body: { action, user_info: { email, type: 1, first_name: "First", last_name: "Last", ...extra } },
    });
    if (res.status !== 201) throw new Error(`create ${email} failed: ${res.status} ${res.text}`);
    return res.body.id;
  }

  async createGroup(name: string): Promise<string> {
    const res = await this.api<{ id: string }>("POST", "/groups", { body: { name } });
    if (res.status !== 201) throw new Error(`create group ${name} failed: ${res.status} ${res.text}`);
    return res.body.id;
  }

  async simUser(idOrEmail: string): Promise<HttpAnswer<SimUserState>> {
    return this.control<SimUserState>("GET", `/users/${encodeURIComponent(idOrEmail)}`);
  }
}

export interface SimUserState {
  id: string;
  email: string;
  status: string;
  type: number;
  role_id: string;
  role_name: string;
  first_name: string;
  last_name: string;
  display_name: string;
  group_ids: string[];
  invitation: "none" | "pending" | "expired";
  profile: Record<string, unknown>;
  sso_sign_outs: number;
  email_changes_24h: number;
}

export interface ListedUsers {
  page_size: number;
  total_records: number;
  next_page_token: string;
  users: { id?: string; email: string; status: string; type: number; role_id: string; group_ids: string[] }[];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
