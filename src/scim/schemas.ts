// The SCIM schemas zoom-scim serves, declared once with scimmy (its declarations are process-global).
// /Schemas and /ResourceTypes are rendered from these, and POST/PUT bodies are validated against them.
import SCIMMY from "scimmy";

export const CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** The URN of Zoom's own SCIM extension, so Okta and Entra attribute mappings carry over. */
export const ZOOM_USER_URN = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SEARCH_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

const { SchemaDefinition, Attribute } = SCIMMY.Types;

/**
 * Zoom's user status as the extension shows it, plus two states of an invitation Zoom no longer answers for:
 * "expired" (Zoom's 1120) and "cancelled" (a pending user deactivated through SCIM; Zoom holds no user).
 */
export const ZOOM_STATUS_VALUES = ["active", "inactive", "pending", "expired", "cancelled"] as const;

export const zoomUserExtension = new SchemaDefinition(
  "ZoomUser",
  ZOOM_USER_URN,
  "Zoom user attributes that have no home in the core or enterprise schemas",
  [
    new Attribute("string", "status", {
      mutable: false,
      canonicalValues: [...ZOOM_STATUS_VALUES],
      description:
        "Zoom's own user status. 'pending' means provisioned and waiting for the person to accept Zoom's invitation; SCIM 'active' is true then, " +
        "and changes wait for acceptance. 'expired': the invitation expired; 'cancelled': the pending user was deactivated, which cancelled " +
        "the invitation. Both read active false; setting active to true sends a fresh invitation.",
    }),
    new Attribute("integer", "type", {
      description: "Zoom user type: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic. The same as userType, as Zoom's number.",
    }),
    new Attribute("string", "location", { description: "Zoom profile location." }),
    new Attribute("string", "pronouns", { description: "Zoom profile pronouns." }),
    // Zoom Phone and licences, under the names Zoom's own SCIM takes (so IdP mappings carry over), plus zoom-scim's.
    new Attribute("boolean", "zoomPhone", { description: "Zoom Phone feature on or off. Implied on by any other phone attribute." }),
    new Attribute("string", "zoomPhoneExtNumber", {
      description: "Full extension (site code + short extension); 0: one Zoom picks. Checked against the site's rules.",
    }),
    new Attribute("string", "zoomPhoneNumber", {
      description: "The user's (first) phone number, E.164; an unassigned number of the site.",
    }),
    new Attribute("string", "zoomPhoneSite", { description: "Display name of the user's phone site." }),
    new Attribute("string", "zoomPhoneCallingPlan", {
      description: "The user's (first) calling plan, as Zoom's numeric code (3000 Pro); -1 removes all.",
    }),
    new Attribute("string", "zoomPhoneNumbers", { multiValued: true, description: "Every phone number of the user (at most 10), E.164." }),
    new Attribute("string", "zoomPhoneCallingPlans", {
      multiValued: true,
      description: "Every calling plan of the user, as numeric codes.",
    }),
    new Attribute("string", "zoomPhoneSiteId", { mutable: false, description: "Zoom's id of the user's phone site." }),
    new Attribute("string", "zoomPhoneStatus", {
      mutable: false,
      canonicalValues: ["activate", "deactivate"],
      description: "Zoom Phone status of the user.",
    }),
    new Attribute("string", "zoomOneType", {
      description: "Zoom One / Workplace plan code (zoom_one_type), exact digits; 0 or empty: none.",
    }),
    new Attribute("string", "zoomOneBizPlus", { description: "Zoom Workplace Business Plus plan code (16, 32, 64, 128, 33554432)." }),
    new Attribute("string", "zoomOneEdu", { description: "Zoom Workplace Education Enterprise Student plan code (576460752303423488)." }),
    new Attribute("string", "zoomOneSchoolCampusPlus", { description: "Zoom Workplace School & Campus Plus plan code." }),
    new Attribute("string", "zoomOneEntPremier", { description: "Zoom Workplace Enterprise Premier plan code." }),
    new Attribute("string", "zoomOneEduEntPremier", { description: "Zoom Workplace Education Enterprise Premier plan code." }),
    new Attribute("string", "zoomUnited", { description: "Zoom United plan code (plan_united_type, 1 … 131072)." }),
    new Attribute("integer", "zoomWebinar", { description: "Webinar add-on capacity (100 … 10000); 0: none." }),
    new Attribute("integer", "zoomLargeMeeting", { description: "Large-meeting add-on capacity (500 … 5000); 0: none." }),
    new Attribute("integer", "zoomEvents", { description: "Zoom Events add-on capacity (500 … 50000); 0: none." }),
  ],
);

let declared = false;

/** Declares User (with the enterprise and Zoom extensions) and Group with scimmy; safe to call more than once.
 * scimmy-routers mounts (and /ResourceTypes and /Schemas advertise) what is declared; our own /Users and /Groups
 * routers are mounted in front of it and answer those requests themselves. */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(
    SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false)
      // scimmy accepts a bare SchemaDefinition here at run time; its typings only name Schema classes.
      .extend(zoomUserExtension as unknown as typeof SCIMMY.Types.Schema, false),
  );
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
  onlyUserMembers();
}

/** Zoom groups hold users only (nested groups are refused): /Schemas offers members of type "User" alone. */
function onlyUserMembers(): void {
  const members = SCIMMY.Schemas.Group.definition.attribute("members");
  for (const sub of members.subAttributes ?? []) {
    const config = sub.config as { canonicalValues?: unknown; referenceTypes?: unknown };
    if (sub.name === "type") config.canonicalValues = ["User"];
    if (sub.name === "$ref") config.referenceTypes = ["User"];
  }
}

export type ScimmySchemaDefinition = InstanceType<typeof SchemaDefinition>;

/** scimmy's schema definitions, for validation and for deriving attribute metadata. */
export function userSchemaDefinition(): ScimmySchemaDefinition {
  declareScimResources();
  return SCIMMY.Schemas.User.definition;
}

export function groupSchemaDefinition(): ScimmySchemaDefinition {
  declareScimResources();
  return SCIMMY.Schemas.Group.definition;
}
