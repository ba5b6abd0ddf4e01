// The typed Zoom Phone operations and the licence part of user settings. Each method is one Zoom call,
// `listAll*` pages through. Rate-limit categories are each operation's "Rate Limit Label" in Zoom's documents.
import type { ZoomCaller, ZoomRequest } from "./call.js";
import { ZoomApiError, ZoomError } from "./errors.js";
import { arrayField, asObject, stringField, type JsonObject } from "./json.js";
import { zoomPaths as paths } from "./path.js";
import {
  ZOOM_MAX_NUMBERS_PER_USER,
  ZOOM_MAX_SITE_PAGE,
  type ZoomAccountPhoneNumber,
  type ZoomCallingPlanSeats,
  type ZoomFeatureSettings,
  type ZoomPhoneApi,
  type ZoomPhoneProfileUpdate,
  type ZoomPhoneSite,
  type ZoomPhoneUser,
} from "./phone-types.js";

const MAX_PAGES = 1000;

export class ZoomPhoneOperations implements ZoomPhoneApi {
  constructor(private readonly caller: ZoomCaller) {}

  async getPhoneUser(idOrEmail: string): Promise<ZoomPhoneUser | undefined> {
    try {
      return (await this.json({ method: "GET", path: paths.phoneUser(idOrEmail), category: "light" })) as unknown as ZoomPhoneUser;
    } catch (error) {
      // 404/1001: no phone user (the feature is off, or the user is not there).
      if (error instanceof ZoomApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async updatePhoneUser(idOrEmail: string, update: ZoomPhoneProfileUpdate): Promise<void> {
    await this.caller.call({ method: "PATCH", path: paths.phoneUser(idOrEmail), category: "light", body: update });
  }

  async assignCallingPlans(idOrEmail: string, types: readonly number[]): Promise<void> {
    if (types.length === 0) return;
    const body = { calling_plans: types.map((type) => ({ type })) };
    await this.caller.call({ method: "POST", path: paths.phoneUserPlans(idOrEmail), category: "light", body });
  }

  async switchCallingPlan(idOrEmail: string, source: number, target: number): Promise<void> {
    const body = { source_type: source, target_type: target };
    await this.caller.call({ method: "PUT", path: paths.phoneUserPlans(idOrEmail), category: "light", body });
  }

  async unassignCallingPlan(idOrEmail: string, type: number): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.phoneUserPlan(idOrEmail, type), category: "light" });
  }

  async assignPhoneNumbers(idOrEmail: string, numbers: readonly string[]): Promise<void> {
    if (numbers.length === 0) return;
    if (numbers.length > ZOOM_MAX_NUMBERS_PER_USER)
      throw new RangeError(`Zoom assigns at most ${ZOOM_MAX_NUMBERS_PER_USER} numbers per call, got ${numbers.length}`);
    const body = { phone_numbers: numbers.map((number) => ({ number })) };
    await this.caller.call({ method: "POST", path: paths.phoneUserNumbers(idOrEmail), category: "light", body });
  }

  async unassignPhoneNumber(idOrEmail: string, numberOrId: string): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.phoneUserNumber(idOrEmail, numberOrId), category: "light" });
  }

  async getUserFeatures(idOrEmail: string): Promise<ZoomFeatureSettings> {
    const json = await this.json({ method: "GET", path: paths.userSettings(idOrEmail), category: "medium" });
    return (asObject(json.feature) ?? {}) as ZoomFeatureSettings;
  }

  async updateUserFeatures(idOrEmail: string, feature: ZoomFeatureSettings): Promise<void> {
    await this.caller.call({ method: "PATCH", path: paths.userSettings(idOrEmail), category: "medium", body: { feature } });
  }

  async listAllSites(): Promise<ZoomPhoneSite[]> {
    const all: ZoomPhoneSite[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const json = await this.json({
        method: "GET",
        path: paths.phoneSites(),
        category: "medium",
        query: { page_size: ZOOM_MAX_SITE_PAGE, next_page_token: next },
      });
      const sites = objects<ZoomPhoneSite>(arrayField(json, "sites"));
      all.push(...sites);
      const token = stringField(json, "next_page_token");
      if (!token || token === next || sites.length === 0) return all;
      next = token;
    }
    throw new ZoomError(`Zoom paging of phone sites did not end after ${MAX_PAGES} pages`);
  }

  async getSite(siteId: string): Promise<ZoomPhoneSite> {
    return (await this.json({ method: "GET", path: paths.phoneSite(siteId), category: "light" })) as unknown as ZoomPhoneSite;
  }

  async listCallingPlans(): Promise<ZoomCallingPlanSeats[]> {
    const json = await this.json({ method: "GET", path: paths.phoneCallingPlans(), category: "medium" });
    return objects<ZoomCallingPlanSeats>(arrayField(json, "calling_plans"));
  }

  async findPhoneNumber(e164: string): Promise<ZoomAccountPhoneNumber | undefined> {
    const json = await this.json({
      method: "GET",
      path: paths.phoneNumbers(),
      category: "medium",
      query: { type: "all", phone_number: e164, page_size: 100 },
    });
    const digits = e164.replace(/\D/g, "");
    return objects<ZoomAccountPhoneNumber>(arrayField(json, "phone_numbers")).find((n) => n.number.replace(/\D/g, "") === digits);
  }

  private async json(request: ZoomRequest): Promise<JsonObject> {
    const { status, json } = await this.caller.call(request);
    const object = asObject(json);
    if (!object) throw new ZoomError(`Zoom ${request.method} ${request.path} answered ${status} without the expected JSON body`);
    return object;
  }
}

function objects<T>(items: unknown[]): T[] {
  return items.filter((item) => asObject(item) !== undefined) as T[];
}
