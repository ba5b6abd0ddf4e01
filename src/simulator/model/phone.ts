// Zoom Phone state of the account: sites with their extension rules, the account's phone numbers, calling-plan
// subscriptions and the phone users (docs/zoom-behaviour.md §10). Pure state: no HTTP, no errors.
import { newId } from "../ids.js";

export interface PhoneSite {
  id: string;
  name: string;
  /** Prefix of every extension when site codes are on; absent when off. */
  site_code?: number;
  /** Digits after the site code (Zoom: 2 to 5 with a site code; site code + short extension ≤ 6). */
  short_extension_length: number;
  main: boolean;
}

export interface PhoneNumberRecord {
  id: string;
  /** E.164, "+14155550100". */
  number: string;
  site_id: string;
  /** Zoom user id of the assignee. */
  assignee?: string;
}

export interface CallingPlanRecord {
  type: number;
  name: string;
  subscribed: number;
}

export interface PhoneUserRecord {
  userId: string;
  phone_user_id: string;
  extension_id: string;
  extension_number: number;
  site_id: string;
  calling_plans: number[];
  /** Ids of PhoneNumberRecords. */
  number_ids: string[];
  status: "activate" | "deactivate";
}

export interface SiteInput {
  id?: string;
  name: string;
  site_code?: number;
  short_extension_length?: number;
  main?: boolean;
}

/** The account's phone system. The first site is the main site unless another is marked `main`. */
export class PhoneSystem {
  readonly sites = new Map<string, PhoneSite>();
  readonly numbers = new Map<string, PhoneNumberRecord>();
  readonly plans = new Map<number, CallingPlanRecord>();
  readonly users = new Map<string, PhoneUserRecord>();

  constructor() {
    this.reset();
  }

  /** One main site ("Main Site", 3-digit extensions, no site code) and nothing else. */
  reset(): void {
    this.sites.clear();
    this.numbers.clear();
    this.plans.clear();
    this.users.clear();
    this.addSite({ name: "Main Site", main: true });
  }

  addSite(input: SiteInput): PhoneSite {
    if (input.main) for (const site of this.sites.values()) site.main = false;
    const site: PhoneSite = {
      id: input.id ?? newId(),
      name: input.name,
      short_extension_length: input.short_extension_length ?? 3,
      main: input.main ?? this.sites.size === 0,
      ...(input.site_code === undefined ? {} : { site_code: input.site_code }),
    };
    this.sites.set(site.id, site);
    return site;
  }

  mainSite(): PhoneSite {
    const main = [...this.sites.values()].find((s) => s.main) ?? [...this.sites.values()][0];
    if (!main) return this.addSite({ name: "Main Site", main: true });
    return main;
  }

  addNumber(number: string, siteId: string, id?: string): PhoneNumberRecord {
    const record: PhoneNumberRecord = { id: id ?? newId(), number, site_id: siteId };
    this.numbers.set(record.id, record);
    return record;
  }

  /** A number by id, by E.164 form or by its digits (Zoom's profile shows numbers without "+"). */
  findNumber(idOrNumber: string): PhoneNumberRecord | undefined {
    const byId = this.numbers.get(idOrNumber);
    if (byId) return byId;
    const digits = idOrNumber.replace(/[^\d]/g, "");
    if (digits === "") return undefined;
    return [...this.numbers.values()].find((n) => n.number.replace(/[^\d]/g, "") === digits);
  }

  assignedCount(planType: number): number {
    let n = 0;
    for (const user of this.users.values()) if (user.calling_plans.includes(planType)) n += 1;
    return n;
  }

  /** Extensions of a site are "site code + short extension" digits. */
  extensionFits(site: PhoneSite, extension: number): boolean {
    const text = String(extension);
    const code = site.site_code === undefined ? "" : String(site.site_code);
    return text.length === code.length + site.short_extension_length && text.startsWith(code);
  }

  extensionHolder(extension: number): PhoneUserRecord | undefined {
    return [...this.users.values()].find((u) => u.extension_number === extension);
  }

  /** The lowest free extension of a site (what Zoom's licence assignment gives a new phone user). */
  freeExtension(site: PhoneSite): number {
    const code = site.site_code === undefined ? "" : String(site.site_code);
    const first = 10 ** (site.short_extension_length - 1);
    for (let short = first; short < 10 ** site.short_extension_length; short++) {
      const extension = Number(`${code}${short}`);
      if (!this.extensionHolder(extension)) return extension;
    }
    throw new Error(`site ${site.name} has no free extension`);
  }

  enable(userId: string, autoExtension: boolean): PhoneUserRecord {
    const site = this.mainSite();
    const user: PhoneUserRecord = {
      userId,
      phone_user_id: newId(),
      extension_id: newId(),
      extension_number: autoExtension ? this.freeExtension(site) : 0,
      site_id: site.id,
      calling_plans: [],
      number_ids: [],
      status: "activate",
    };
    this.users.set(userId, user);
    return user;
  }

  /** Frees the user's numbers and calling plans (and, with `remove`, the phone user itself). */
  release(userId: string, remove: boolean): void {
    const user = this.users.get(userId);
    if (!user) return;
    for (const id of user.number_ids) {
      const number = this.numbers.get(id);
      if (number) delete number.assignee;
    }
    user.number_ids = [];
    user.calling_plans = [];
    if (remove) this.users.delete(userId);
  }
}
