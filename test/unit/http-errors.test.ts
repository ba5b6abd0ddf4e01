// The generic error handler: an unexpected exception is logged with the request id and answered as a plain SCIM 500
// that names the id, never with the exception's text.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import express from "express";
import type { Server } from "node:http";
import { errorHandler } from "../../src/http/errors.js";
import { createLogger } from "../../src/http/logger.js";
import { requestLogging } from "../../src/http/request-logging.js";

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
let server: Server;
let url: string;

before(async () => {
  const logger = createLogger("error", sink);
  const app = express();
  app.use(requestLogging(logger));
  app.get("/boom", () => {
    throw new TypeError("Cannot read properties of null (reading 'secret')");
  });
  app.get("/scimmy-500", () => {
    throw Object.assign(new Error("internal scimmy state"), { name: "SCIMError", status: 500 });
  });
  app.use(errorHandler(logger));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("errorHandler", () => {
  it("answers an unexpected exception with a generic 500 naming the request id, and logs the exception with it", async () => {
    const answer = await fetch(`${url}/boom`, { headers: { "x-request-id": "req-123" } });
    assert.equal(answer.status, 500);
    assert.match(String(answer.headers.get("content-type")), /^application\/scim\+json/);
    const text = await answer.text();
    assert.equal((JSON.parse(text) as { detail: string }).detail, "internal error; request id req-123");
    assert.doesNotMatch(text, /Cannot read|secret|TypeError/);
    const logged = lines.find((line) => line.msg === "request failed");
    assert.equal(logged?.requestId, "req-123");
    assert.match(String((logged?.err as { message?: string } | undefined)?.message), /reading 'secret'/);
  });

  it("does not pass on a library's 5xx message either", async () => {
    const answer = await fetch(`${url}/scimmy-500`);
    assert.equal(answer.status, 500);
    assert.doesNotMatch(await answer.text(), /internal scimmy state/);
  });
});
