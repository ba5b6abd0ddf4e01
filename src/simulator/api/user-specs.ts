// Request bodies of the user operations, after Zoom's Users OpenAPI document.
import type { FieldSpec, ObjectSpec } from "../validate.js";

const PLAN_UNITED = [
  "1",
  "2",
  "4",
  "8",
  "16",
  "32",
  "64",
  "128",
  "256",
  "512",
  "1024",
  "2048",
  "4096",
  "8192",
  "16384",
  "32768",
  "65536",
  "131072",
];
const USER_TYPES = [1, 2, 4, 99] as const;

const LICENSE_INFO: FieldSpec = {
  type: "array",
  maxItems: 2,
  items: {
    type: "object",
    required: ["license_type", "license_option", "subscription_id"],
    props: {
      license_type: { type: "string", enum: ["MEETING", "ZOOM_WORKPLACE_BUNDLE"] },
      license_option: { type: "integer" },
      subscription_id: { type: "string" },
    },
  },
};

export const CREATE_USER_SPEC: ObjectSpec = {
  type: "object",
  required: ["action", "user_info"],
  closed: true,
  props: {
    action: { type: "string", enum: ["create", "autoCreate", "custCreate", "ssoCreate"] },
    user_info: {
      type: "object",
      required: ["email", "type"],
      closed: true,
      props: {
        email: { type: "string", maxLength: 128, format: "email" },
        first_name: { type: "string", maxLength: 64 },
        last_name: { type: "string", maxLength: 64 },
        display_name: { type: "string", maxLength: 128 },
        password: { type: "string", minLength: 8, maxLength: 32 },
        type: { type: "integer", enum: USER_TYPES },
        division_ids: { type: "array", items: { type: "string" } },
        feature: {
          type: "object",
          closed: true,
          props: { zoom_phone: { type: "boolean" }, zoom_one_type: { type: "integer" } },
        },
        plan_united_type: { type: "string", enum: PLAN_UNITED },
        license_info_list: LICENSE_INFO,
      },
    },
  },
};

/** Every field `PATCH /users/{userId}` documents; anything else is refused (400/300). */
export const UPDATE_USER_SPEC: ObjectSpec = {
  type: "object",
  closed: true,
  props: {
    cms_user_id: { type: "string" },
    company: { type: "string", maxLength: 255 },
    custom_attributes: {
      type: "array",
      maxItems: 5,
      items: { type: "object", closed: true, props: { key: { type: "string" }, name: { type: "string" }, value: { type: "string" } } },
    },
    dept: { type: "string" },
    first_name: { type: "string", maxLength: 64 },
    group_id: { type: "string" },
    division_ids: { type: "array", items: { type: "string" } },
    host_key: { type: "string", minLength: 6, maxLength: 10 },
    job_title: { type: "string", maxLength: 128 },
    cost_center: { type: "string" },
    language: { type: "string" },
    last_name: { type: "string", maxLength: 64 },
    location: { type: "string", maxLength: 256 },
    manager: { type: "string" },
    phone_country: { type: "string" },
    phone_number: { type: "string" },
    phone_numbers: {
      type: "array",
      maxItems: 3,
      items: {
        type: "object",
        closed: true,
        props: {
          code: { type: "string" },
          country: { type: "string" },
          label: { type: "string", enum: ["Mobile", "Office", "Home", "Fax"] },
          number: { type: "string" },
        },
      },
    },
    pmi: { type: "integer", min: 1_000_000_000, max: 9_999_999_999 },
    pronouns: { type: "string" },
    pronouns_option: { type: "integer", enum: [1, 2, 3] },
    timezone: { type: "string" },
    type: { type: "integer", enum: USER_TYPES },
    use_pmi: { type: "boolean" },
    vanity_name: { type: "string" },
    display_name: { type: "string", maxLength: 128 },
    zoom_one_type: { type: "integer" },
    plan_united_type: { type: "string", enum: [...PLAN_UNITED, "none"] },
    feature: { type: "object", closed: true, props: { zoom_phone: { type: "boolean" } } },
    about_me: { type: "string", maxLength: 150 },
    linkedin_url: { type: "string" },
    license_info_list: LICENSE_INFO,
  },
};

export const STATUS_SPEC: ObjectSpec = {
  type: "object",
  required: ["action"],
  props: { action: { type: "string", enum: ["activate", "deactivate", "clock_in", "clock_out"] } },
};

export const EMAIL_SPEC: ObjectSpec = {
  type: "object",
  required: ["email"],
  props: { email: { type: "string", format: "email" } },
};

/** `{"members":[{"id"}|{"email"}]}` of group and role member calls; the 30 cap is checked apart. */
export const MEMBERS_SPEC: ObjectSpec = {
  type: "object",
  required: ["members"],
  props: {
    members: {
      type: "array",
      items: { type: "object", props: { id: { type: "string" }, email: { type: "string" } } },
    },
  },
};
