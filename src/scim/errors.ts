// SCIM errors (RFC 7644 §3.12): every failure a client sees is one of these, rendered with the Error schema.

/** scimType values of RFC 7644 Table 9, plus none for errors that have no type. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;
  /** Seconds a client should wait before repeating the request (429, 502, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    scimType: ScimType | undefined,
    detail: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ScimError";
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const badRequest = (scimType: ScimType, detail: string): ScimError => new ScimError(400, scimType, detail);
export const notFound = (detail: string): ScimError => new ScimError(404, undefined, detail);
export const conflict = (scimType: ScimType | undefined, detail: string): ScimError => new ScimError(409, scimType, detail);
