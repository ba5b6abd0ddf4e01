// Reading a user's Zoom Phone profile and add-ons, so that GET shows every licence value (Zoom's own SCIM shows
// none of its phone attributes). One light call for the phone profile, one medium call for the add-ons, each only
// when the tenant has them on; the site list is shared for the snapshot TTL.
import type { ZoomPhoneSite, ZoomPhoneUser } from "../../zoom/types.js";
import type { Tenant } from "../tenant.js";
import type { IdentifiedZoomUser, LicenceState, PhoneState } from "../gateway/user-state.js";
import { toE164 } from "../mapping/phone-numbers.js";
import { scimErrorFromZoom } from "../zoom-errors.js";
import { ScimError } from "../../scim/errors.js";
import { ZoomApiError } from "../../zoom/index.js";

/**
 * Zoom's phone endpoints answer 403 on an account without Zoom Phone set up: a configuration an administrator must
 * change, told as a missing scope is (503, Retry-After 300); anything else as any Zoom failure.
 */
export function phoneFailure(error: unknown, what: string): ScimError {
  if (error instanceof ZoomApiError && error.status === 403) {
    return new ScimError(
      503,
      undefined,
      `Zoom answered 403 while ${what} (Zoom said: "${error.zoomMessage}"): Zoom Phone is not set up on this Zoom account, or the app lacks its phone scopes. ` +
        "An administrator must set Zoom Phone up (and grant phone:read:admin, phone:write:admin), or turn the tenant option zoomPhone off.",
      { retryAfterSeconds: 300, cause: error },
    );
  }
  return scimErrorFromZoom(error, what);
}

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

const siteLists = new WeakMap<Tenant, Cached<ZoomPhoneSite[]>>();
const siteDetails = new WeakMap<Tenant, Map<string, Cached<ZoomPhoneSite>>>();

function fresh<T>(cached: Cached<T> | undefined, tenant: Tenant): cached is Cached<T> {
  return cached !== undefined && Date.now() - cached.at < tenant.options.snapshotTtlMs;
}

/** The account's phone sites (one paged scan, kept for the snapshot TTL). */
export function phoneSites(tenant: Tenant): Promise<ZoomPhoneSite[]> {
  const cached = siteLists.get(tenant);
  if (fresh(cached, tenant)) return cached.value;
  const value = tenant.zoom.phone.listAllSites();
  siteLists.set(tenant, { at: Date.now(), value });
  value.catch(() => siteLists.delete(tenant));
  return value;
}

/** One site with its extension rules (`short_extension`), which only the single-site call returns. */
export function phoneSite(tenant: Tenant, siteId: string): Promise<ZoomPhoneSite> {
  const byId = siteDetails.get(tenant) ?? new Map<string, Cached<ZoomPhoneSite>>();
  siteDetails.set(tenant, byId);
  const cached = byId.get(siteId);
  if (fresh(cached, tenant)) return cached.value;
  const value = tenant.zoom.phone.getSite(siteId);
  byId.set(siteId, { at: Date.now(), value });
  value.catch(() => byId.delete(siteId));
  return value;
}

export function phoneStateOf(phone: ZoomPhoneUser, sites: readonly ZoomPhoneSite[]): PhoneState {
  return {
    extension: phone.extension_number || undefined,
    siteId: phone.site_id,
    siteName: sites.find((s) => s.id === phone.site_id)?.name,
    plans: (phone.calling_plans ?? []).map((p) => p.type),
    numbers: (phone.phone_numbers ?? []).flatMap((n) => {
      const e164 = n.number === undefined ? undefined : toE164(n.number);
      return e164 ? [e164] : [];
    }),
    status: phone.status,
  };
}

/** Zoom's phone profile of the user now: null without Zoom Phone. */
export async function readPhoneState(tenant: Tenant, id: string): Promise<PhoneState | null> {
  const [phone, sites] = await Promise.all([tenant.users.getPhoneUser(id), phoneSites(tenant)]);
  return phone ? phoneStateOf(phone, sites) : null;
}

/** Whether Zoom answers phone and settings calls for this user: active or inactive, not pending or lapsed. */
const holdsLicences = (user: IdentifiedZoomUser): boolean => user.invitation === undefined && user.status !== "pending";

/** The user with its licence state read from Zoom (as far as the tenant has phone and add-ons on). */
export async function withLicences<U extends IdentifiedZoomUser>(tenant: Tenant, user: U): Promise<U> {
  const { zoomPhone, licenceAddOns } = tenant.options;
  if ((!zoomPhone && !licenceAddOns) || !holdsLicences(user)) return user;
  try {
    const [phone, features] = await Promise.all([
      zoomPhone ? readPhoneState(tenant, user.id) : Promise.resolve(undefined),
      licenceAddOns ? tenant.users.getUserFeatures(user.id) : Promise.resolve(undefined),
    ]);
    const licences: LicenceState = {
      ...(phone === undefined ? {} : { phone }),
      ...(features === undefined ? {} : { features }),
    };
    return { ...user, licences };
  } catch (error) {
    throw phoneFailure(error, "reading the user's Zoom Phone profile and licences");
  }
}

/** A user Zoom has just created holds no phone and no add-ons: known without asking. */
export function withNoLicences<U extends IdentifiedZoomUser>(tenant: Tenant, user: U): U {
  const { zoomPhone, licenceAddOns } = tenant.options;
  if (!zoomPhone && !licenceAddOns) return user;
  return { ...user, licences: { ...(zoomPhone ? { phone: null } : {}), ...(licenceAddOns ? { features: {} } : {}) } };
}

/** Without the licence state: what the snapshot (and lists) keep of a user. */
export function withoutLicences<U extends IdentifiedZoomUser>(user: U): U {
  if (user.licences === undefined) return user;
  const { licences: _read, ...rest } = user;
  return rest as U;
}
