// Zoom's published schemas (trimmed fixture) compiled with ajv, for conformance checks.
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export interface FixtureOperation {
  operationId: string;
  rateLimitLabel?: string;
  security: { openapi_oauth: string[] }[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; schema?: unknown }>;
}

export interface Fixture {
  operations: Record<string, FixtureOperation>;
  webhooks: Record<string, unknown>;
}

export const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/zoom-openapi/zoom-api-subset.json", import.meta.url), "utf8"),
) as Fixture;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
// OpenAPI formats that JSON Schema does not define.
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
ajv.addFormat("password", true);

const compiled = new Map<unknown, ValidateFunction>();

export function validator(schema: unknown): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema as object);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Throws with ajv's messages when `value` does not match `schema`. */
export function assertSchema(schema: unknown, value: unknown, what: string): void {
  const fn = validator(schema);
  if (!fn(value))
    throw new Error(`${what} does not match Zoom's schema: ${ajv.errorsText(fn.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
}

/** Error codes Zoom documents in a response description ("**Error Code:** `1001`"). */
export function documentedCodes(description: string): number[] {
  return [...description.matchAll(/Error Code:\*\*\s*`(\d+)`/g)].map((m) => Number(m[1]));
}

/** The shape of every Zoom error body. */
export const ERROR_SCHEMA = {
  type: "object",
  required: ["code", "message"],
  additionalProperties: false,
  properties: {
    code: { type: "integer" },
    message: { type: "string", minLength: 1 },
    errors: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["field", "message"],
        additionalProperties: false,
        properties: { field: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};
