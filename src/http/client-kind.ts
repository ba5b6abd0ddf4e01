// Which kind of SCIM client sent a request, for the audit trail: from its User-Agent, and where that says nothing,
// from the dialect it speaks (Entra's aadOptscim062020 flag; AWS-ILM-style clients' trailing slash and plain JSON).
import type { Request } from "express";

export type ClientKind = "okta" | "entra" | "aws-ilm" | "other";

export function clientKindOf(req: Request): ClientKind {
  const agent = req.get("user-agent") ?? "";
  if (/okta/i.test(agent)) return "okta";
  if (/azure|entra|microsoft|aad/i.test(agent) || /[?&]aadOptscim062020\b/i.test(req.originalUrl)) return "entra";
  if (/xsoar|demisto|cortex|aws|amazon/i.test(agent)) return "aws-ilm";
  const plainJson = /^application\/json\b/i.test(req.get("content-type") ?? "");
  if (plainJson && /\/$/.test(req.originalUrl.split("?")[0] ?? "")) return "aws-ilm";
  return "other";
}
