import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

const BAD_JSON = { code: 300, message: "Request Body should be a valid JSON object." };
const NOT_RECOGNIZED = { code: 2300, message: "This API endpoint is not recognized." };

describe("errors", () => {
  let h: Harness;
  let userId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    userId = await h.createUser("errors@example.com");
  });
  after(() => h.close());

  it("answers malformed JSON with 400/300 on every operation that takes a body", async () => {
    const cases: [string, string][] = [
      ["POST", "/users"],
      ["PATCH", `/users/${userId}`],
      ["PUT", `/users/${userId}/status`],
      ["PUT", `/users/${userId}/email`],
      ["POST", "/groups"],
    ];
    for (const [method, path] of cases) {
      const res = await h.api<ZoomErrorBody>(method, path, { rawBody: '{"action": "create",' });
      assert.equal(res.status, 400, `${method} ${path}`);
      assert.deepEqual(res.body, BAD_JSON);
    }
  });

  it("treats a JSON array, a bare value or an empty body as not a JSON object", async () => {
    for (const rawBody of ["[]", "42", ""]) {
      const res = await h.api<ZoomErrorBody>("PATCH", `/users/${userId}`, { rawBody });
      assert.deepEqual(res.body, BAD_JSON, JSON.stringify(rawBody));
    }
  });

  it("answers unknown endpoints and methods with 404/2300", async () => {
    for (const [method, path] of [
      ["GET", "/meetings"],
      ["PUT", "/users"],
      ["GET", `/users/${userId}/assistants`],
      ["POST", "/users/summary"],
    ] as const) {
      const res = await h.api<ZoomErrorBody>(method, path, method === "GET" ? {} : { body: {} });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.body, NOT_RECOGNIZED);
    }
    const outside = await fetch(`${h.sim.baseUrl}/v1/users`);
    assert.equal(outside.status, 404);
    assert.deepEqual(await outside.json(), NOT_RECOGNIZED);
  });

  it("puts x-zm-trackingid on every answer, unique per answer", async () => {
    const answers = [
      await h.api("GET", `/users/${userId}`),
      await h.api("PATCH", `/users/${userId}`, { body: { dept: "x" } }),
      await h.api("GET", "/nothing"),
      await h.api("GET", "/users", { token: null }),
    ];
    const ids = answers.map((a) => a.headers.get("x-zm-trackingid"));
    const oauth = await h.requestToken();
    ids.push(oauth.headers.get("x-zm-trackingid"));
    const control = await h.control("GET", "/calls");
    ids.push(control.headers.get("x-zm-trackingid"));
    assert.ok(
      ids.every((id) => typeof id === "string" && id.length > 10),
      JSON.stringify(ids),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it("answers JSON with Zoom's content type", async () => {
    const res = await h.api("GET", `/users/${userId}`);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  });

  it("decodes URL-encoded path parameters", async () => {
    await h.createUser("first+tag@example.com");
    const res = await h.api<{ email: string }>("GET", `/users/${encodeURIComponent("first+tag@example.com")}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.email, "first+tag@example.com");
  });
});
