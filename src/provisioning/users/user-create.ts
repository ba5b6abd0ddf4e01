// POST /Users: one Zoom create and one store record. The create is idempotent across a lost answer: an intent is
// recorded before Zoom is asked, and removed with the record's write. When Zoom made the user but its answer never
// arrived, the client's repeated POST finds Zoom's "already exists" plus that intent (and no record of the user),
// and completes the create with what it sends now, instead of answering 409.
import { StoreConflictError } from "../../store/errors.js";
import type { CreateIntent, JsonObject, StoredResource, StoreTransaction } from "../../store/types.js";
import { ZoomUnavailableError } from "../../zoom/index.js";
import type { ZoomUser } from "../../zoom/types.js";
import { conflict, ScimError } from "../../scim/errors.js";
import type { Tenant } from "../tenant.js";
import { scimErrorFromZoom } from "../zoom-errors.js";
import { planUserChanges } from "./change-plan.js";
import { isJsonObject } from "../../scim/attributes/json.js";
import { assertUserNameFree, createInfo, initialType, mergeAsserted, rolesFor, userAsCreated } from "./user-apply.js";
import { desiredUserName, userNameIsEmail, zoomEmailOf } from "./zoom-email.js";
import { renderUser } from "./user-render.js";
import { parseUserBody } from "./user-input.js";
import { storeHeldPart } from "./user-view.js";
import { STORE_HELD_PATHS } from "../mapping/zoom-fields.js";
import { execute, loadedFrom, takeOver } from "./user-execute.js";
import { auditResource } from "../audit/scope.js";
import { withNoLicences, withoutLicences } from "../licences/licence-state.js";

/** A lost create is repeated within minutes; an intent older than this says nothing any more. */
const INTENT_TTL_MS = 24 * 3_600_000;
/** Zoom's clock and ours may disagree this much when judging whether Zoom's user predates the intent. */
const CLOCK_SKEW_MS = 10 * 60_000;

/** The store's part of a POST: what Zoom cannot hold. */
function storePartOf(desired: JsonObject): { externalId: string | null; scim: JsonObject; emails: string[] } {
  return {
    externalId: typeof desired.externalId === "string" && desired.externalId !== "" ? desired.externalId : null,
    scim: storeHeldPart(desired, STORE_HELD_PATHS),
    emails: Array.isArray(desired.emails)
      ? desired.emails.filter(isJsonObject).flatMap((e) => (typeof e.value === "string" ? [e.value] : []))
      : [],
  };
}

/** The user of this email zoom-scim holds already (a repeated POST's own, which its userName does not collide with). */
async function ownRecordOf(tenant: Tenant, email: string): Promise<string | undefined> {
  const records = await tenant.store.findUsersByEmail(tenant.name, email);
  return records.find((r) => r.email === email.toLowerCase())?.id;
}

/** A repeated POST is the same create when it names the same externalId (an IdP resends the same request). */
const sameIdentity = (intent: CreateIntent, externalId: string | null): boolean => (intent.request.externalId ?? null) === externalId;

/** A user whose create zoom-scim began but did not finish (it failed half-way): a repeated POST resumes it. */
async function unfinishedCreate(tenant: Tenant, email: string): Promise<ZoomUser | undefined> {
  const records = await tenant.store.findUsersByEmail(tenant.name, email);
  const record = records.find((r) => r.email === email.toLowerCase() && r.attributes.createIncomplete === true);
  if (!record || (await tenant.store.getTombstone(tenant.name, "User", record.id))) return undefined;
  return tenant.users.fetch(record.id);
}

/**
 * The Zoom user an earlier attempt of this create made, though its answer was lost: an intent from before this
 * attempt, for the same externalId, and a Zoom user with that email that zoom-scim has no record of (it records
 * every user it creates or takes over) and that is not older than the intent.
 */
async function lostCreate(
  tenant: Tenant,
  email: string,
  earlier: CreateIntent | undefined,
  externalId: string | null,
): Promise<ZoomUser | undefined> {
  if (!earlier || !sameIdentity(earlier, externalId)) return undefined;
  const existing = await tenant.users.lookup(email).catch((error: unknown) => {
    throw scimErrorFromZoom(error, `looking up the Zoom user ${email} an earlier attempt may have created`);
  });
  if (existing === undefined || existing === "expired") return undefined;
  if (existing.email.toLowerCase() !== email.toLowerCase()) return undefined;
  const [record, tombstone, invitation] = await Promise.all([
    tenant.store.get(tenant.name, "User", existing.id),
    tenant.store.getTombstone(tenant.name, "User", existing.id),
    tenant.users.invitations.get(existing.id),
  ]);
  if (record || tombstone || invitation) return undefined;
  const created = Date.parse(existing.user_created_at ?? existing.created_at ?? "");
  if (Number.isFinite(created) && created < Date.parse(earlier.createdAt) - CLOCK_SKEW_MS) return undefined;
  return existing;
}

export async function createUser(tenant: Tenant, body: unknown, baseUrl: string): Promise<JsonObject> {
  const desired = parseUserBody(body);
  // The userName, or the email from `emails` when the userName is not one (400 when there is none).
  const email = zoomEmailOf(desired);
  // Two POSTs of one userName (a client's retry overtaking its first attempt) run one after the other.
  return tenant.users.locks.run("UserName", email, () => create(tenant, desired, email, baseUrl));
}

async function create(tenant: Tenant, desired: JsonObject, email: string, baseUrl: string): Promise<JsonObject> {
  // Validates the whole request (userName, licence, phone numbers, role) before any Zoom write.
  const roles = desired.roles === undefined ? undefined : await rolesFor(tenant, desired);
  planUserChanges({ current: { email: "", type: 1 }, desired, stored: undefined, roles, managerEmail: undefined });
  // A userName that is not an email is unique through the store; a user of this email is Zoom's to refuse (409, adopt).
  const userName = desiredUserName(desired);
  if (!userNameIsEmail(userName)) await assertUserNameFree(tenant, userName, await ownRecordOf(tenant, email));
  const action = tenant.options.createAction;
  if (desired.active === false && action === "create") {
    throw conflict(
      undefined,
      `Zoom's "create" action makes a pending user, which cannot be created inactive. Create the user active, or configure createAction autoCreate, custCreate or ssoCreate.`,
    );
  }

  const tombstone = await tenant.store.findTombstoneByEmail(tenant.name, email);
  if (tombstone) {
    const existing = await tenant.users.fetch(tombstone.id);
    if (existing && existing.email.toLowerCase() === email.toLowerCase()) return takeOver(tenant, existing, desired, baseUrl);
    await tenant.store.removeTombstone(tenant.name, "User", tombstone.id);
  }

  const type = initialType(tenant, desired);
  const password = action === "autoCreate" && typeof desired.password === "string" ? desired.password : undefined;
  const request = { action, user_info: createInfo(desired, email, type, password) };
  const part = storePartOf(desired);
  const store = tenant.store;
  await store.pruneCreateIntents(new Date(Date.now() - INTENT_TTL_MS));
  const earlier = await store.getCreateIntent(tenant.name, email);
  // Before Zoom is asked: if its answer is lost, this is what tells the repeated POST that zoom-scim made the user.
  // An earlier attempt's intent stays as it is: whether that attempt made the user is still open.
  if (!earlier) await store.putCreateIntent({ tenant: tenant.name, email, request: { ...part } }, new Date());
  let created;
  try {
    created = await tenant.users.createUser(request);
  } catch (error) {
    const scimError = scimErrorFromZoom(error, `creating Zoom user ${email}`);
    if (scimError.status !== 409 || scimError.scimType !== "uniqueness") {
      // Only an outage or a lost answer leaves it open whether Zoom made the user; any answer says this attempt did not.
      if (!earlier && !(error instanceof ZoomUnavailableError)) await store.removeCreateIntent(tenant.name, email);
      throw scimError;
    }
    const lost = await lostCreate(tenant, email, earlier, part.externalId);
    if (lost) return finishCreate(tenant, lost, desired, email, baseUrl);
    // Settled: the user exists and is not this create's. An intent of another identity waits for its own retry.
    if (!earlier || sameIdentity(earlier, part.externalId)) await store.removeCreateIntent(tenant.name, email);
    const resumable = await unfinishedCreate(tenant, email);
    if (resumable) return takeOver(tenant, resumable, desired, baseUrl);
    if (tenant.options.onDuplicate === "adopt") {
      const existing = await tenant.users.getUser(email).catch((e: unknown) => {
        throw scimErrorFromZoom(e, `looking up existing Zoom user ${email}`);
      });
      return takeOver(tenant, existing, desired, baseUrl);
    }
    throw conflict(
      "uniqueness",
      `A Zoom user with email ${email} already exists. Find it with filter=userName eq "${email}" and link to its id, or set the tenant option onDuplicate to "adopt".`,
    );
  }
  // Zoom's new user holds no phone and no add-ons yet: known without asking.
  const answer = await finishCreate(tenant, withNoLicences(tenant, userAsCreated(created.id, created, request)), desired, email, baseUrl);
  return withoutVersion(answer);
}

/**
 * Zoom's create answer holds five fields; the user it made has more (the account's language, for one), which a later
 * GET shows. Rather than a second call for every create, the answer carries no meta.version (RFC 7643 §3.1 makes it
 * optional): a version it gave would not be the one a GET shows, and an If-Match naming it would fail.
 */
function withoutVersion(answer: JsonObject): JsonObject {
  if (!isJsonObject(answer.meta)) return answer;
  const { version: _unknown, ...meta } = answer.meta;
  return { ...answer, meta };
}

/**
 * The new user's first record. A record there already means a concurrent request with the same userName (another
 * replica's) made the user, or took it as its own lost create, and recorded it first: this one is the duplicate.
 */
async function recordNew(tenant: Tenant, email: string, write: (tx: StoreTransaction) => Promise<StoredResource>): Promise<StoredResource> {
  try {
    return await tenant.store.transaction(write);
  } catch (error) {
    if (!(error instanceof StoreConflictError)) throw error;
    throw conflict(
      "uniqueness",
      `A Zoom user with email ${email} already exists (a concurrent request created it). Find it with filter=userName eq "${email}" and link to its id.`,
    );
  }
}

/** The Zoom user exists (just created, or created by an attempt whose answer was lost): record it, apply the rest. */
async function finishCreate(tenant: Tenant, fresh: ZoomUser, desired: JsonObject, email: string, baseUrl: string): Promise<JsonObject> {
  tenant.users.remember(withoutLicences(fresh));
  const part = storePartOf(desired);
  // Recorded at once, so that a failure in the steps below leaves a user a repeated POST can resume. A pending
  // user's invitation is recorded too: the rest of its profile waits for acceptance as deferred changes. The intent
  // goes in the same unit: from here the record says that zoom-scim made the user.
  const record: StoredResource = await recordNew(tenant, email, async (tx) => {
    const written = await tx.put(
      {
        tenant: tenant.name,
        kind: "User",
        id: fresh.id,
        externalId: part.externalId,
        attributes: { scim: part.scim, sent: {}, createIncomplete: true },
        email: fresh.email,
        emails: part.emails,
        userName: desiredUserName(desired),
      },
      new Date(),
      { expectedVersion: null },
    );
    if (fresh.status === "pending") await tenant.users.invitations.put(fresh, "pending");
    await tx.removeCreateIntent(tenant.name, email);
    return written;
  });
  // The entry shows every attribute the create set: nothing was there before.
  auditResource({ resourceId: fresh.id, userName: email, before: null });
  try {
    const loaded = await loadedFrom(tenant, fresh, record);
    const currentView = await renderUser(tenant, fresh, record, baseUrl);
    // What the POST omits keeps what Zoom gave the new user (its language, for one): only what was sent is asserted.
    return await execute(tenant, loaded, mergeAsserted(currentView, desired), currentView, baseUrl);
  } catch (error) {
    const scimError = error instanceof ScimError ? error : scimErrorFromZoom(error, "finishing the new user");
    throw new ScimError(
      scimError.status,
      scimError.scimType,
      `Zoom user ${email} was created with id ${fresh.id}, but not everything was applied: ${scimError.detail}`,
      {
        retryAfterSeconds: scimError.retryAfterSeconds,
        cause: error,
      },
    );
  }
}
