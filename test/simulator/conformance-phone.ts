// The Zoom Phone and user-settings operations' conformance cases (see conformance.test.ts): the account's phone
// system they run against, and for each operation its success and error steps.
import type { Harness, HttpAnswer } from "./helpers.js";

type Step = () => Promise<HttpAnswer<unknown>>;

/** Sites, numbers and plans; two users with Zoom Phone, one holding a number. Ids go into `ids`. */
export async function setUpPhone(h: Harness, ids: Record<string, string>): Promise<void> {
  const phone = await h.control<{ sites: { id: string; name: string }[]; numbers: { id: string; number: string }[] }>("POST", "/phone", {
    sites: [{ name: "Coded", site_code: 8, short_extension_length: 3 }],
    numbers: [{ number: "+14155550101" }, { number: "+14155550102" }, { number: "+14155550103", site: "Coded" }],
    callingPlans: [
      { type: 200, name: "US/CA Unlimited", subscribed: 5 },
      { type: 3000, name: "Pro", subscribed: 5 },
      { type: 4000, name: "International Calling Add-On", subscribed: 0 },
    ],
  });
  ids.site = phone.body.sites.find((s) => s.name === "Coded")?.id ?? "";
  ids.number = phone.body.numbers[0]?.id ?? "";
  await h.api("PATCH", `/users/${ids["active@example.com"]}`, { body: { feature: { zoom_phone: true } } });
  await h.api("PATCH", `/users/${ids["holder@example.com"]}`, { body: { feature: { zoom_phone: true } } });
  await h.api("POST", `/phone/users/${ids["holder@example.com"]}/phone_numbers`, {
    body: { phone_numbers: [{ number: "+14155550102" }] },
  });
}

export function phoneCases(
  harness: () => Harness,
  ids: Record<string, string>,
  limited: () => string,
  newUser: () => Promise<string>,
): Record<string, { ok: Step[]; errors: Step[] }> {
  // The harness starts in the suite's `before`, after these cases are built: each step finds it when it runs.
  const h = new Proxy({} as Harness, {
    get: (_target, key) => {
      const real = harness();
      const value: unknown = Reflect.get(real, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
  });
  /** A fresh user with Zoom Phone on (main site, an extension of its own). */
  const newPhoneUser = async (): Promise<string> => {
    const id = await newUser();
    await h.api("PATCH", `/users/${id}`, { body: { feature: { zoom_phone: true } } });
    return id;
  };
  return {
    "GET /users/{userId}/settings": {
      ok: [() => h.api("GET", `/users/${ids["active@example.com"]}/settings`)],
      errors: [() => h.api("GET", "/users/ghost@example.com/settings"), () => h.api("GET", "/users/expired@example.com/settings")],
    },
    "PATCH /users/{userId}/settings": {
      ok: [
        () =>
          h.api("PATCH", `/users/${ids["active@example.com"]}/settings`, { body: { feature: { webinar: true, webinar_capacity: 500 } } }),
      ],
      errors: [
        () => h.api("PATCH", `/users/${ids["admin@example.com"]}/settings`, { body: { feature: { webinar: true } } }),
        () => h.api("PATCH", `/users/${ids["admin@example.com"]}/settings`, { body: { feature: { large_meeting: true } } }),
        () => h.api("PATCH", `/users/${ids["active@example.com"]}/settings`, { body: { feature: { zoom_events: true } } }),
        () => h.api("PATCH", "/users/ghost@example.com/settings", { body: { feature: { webinar: false } } }),
        () => h.api("PATCH", "/users/expired@example.com/settings", { body: { feature: { webinar: false } } }),
      ],
    },
    "GET /phone/users/{userId}": {
      ok: [
        () => h.api("GET", `/phone/users/${ids["active@example.com"]}`),
        () => h.api("GET", `/phone/users/${ids["holder@example.com"]}`),
      ],
      errors: [() => h.api("GET", `/phone/users/${ids["admin@example.com"]}`), () => h.api("GET", "/phone/users/ghost@example.com")],
    },
    "PATCH /phone/users/{userId}": {
      ok: [
        async () => h.api("PATCH", `/phone/users/${await newPhoneUser()}`, { body: { site_id: ids.site, extension_number: "8123" } }),
        async () => h.api("PATCH", `/phone/users/${await newPhoneUser()}`, { body: { extension_number: "555" } }),
      ],
      errors: [
        async () => h.api("PATCH", `/phone/users/${await newPhoneUser()}`, { body: { extension_number: "8123", site_id: ids.site } }),
        async () => h.api("PATCH", `/phone/users/${await newPhoneUser()}`, { body: { extension_number: "12" } }),
        async () => h.api("PATCH", `/phone/users/${await newPhoneUser()}`, { body: { site_id: "missing" } }),
        () => h.api("PATCH", `/phone/users/${ids["admin@example.com"]}`, { body: { extension_number: "777" } }),
      ],
    },
    "POST /phone/users/{userId}/calling_plans": {
      ok: [async () => h.api("POST", `/phone/users/${await newPhoneUser()}/calling_plans`, { body: { calling_plans: [{ type: 200 }] } })],
      errors: [
        async () => h.api("POST", `/phone/users/${await newPhoneUser()}/calling_plans`, { body: { calling_plans: [{ type: 4000 }] } }),
        async () => h.api("POST", `/phone/users/${await newPhoneUser()}/calling_plans`, { body: { calling_plans: [{ type: 999 }] } }),
        async () => h.api("POST", `/phone/users/${await newPhoneUser()}/calling_plans`, { body: {} }),
        () => h.api("POST", `/phone/users/${ids["admin@example.com"]}/calling_plans`, { body: { calling_plans: [{ type: 200 }] } }),
      ],
    },
    "PUT /phone/users/{userId}/calling_plans": {
      ok: [
        async () => {
          const id = await newPhoneUser();
          await h.api("POST", `/phone/users/${id}/calling_plans`, { body: { calling_plans: [{ type: 200 }] } });
          return h.api("PUT", `/phone/users/${id}/calling_plans`, { body: { source_type: 200, target_type: 3000 } });
        },
      ],
      errors: [
        async () => h.api("PUT", `/phone/users/${await newPhoneUser()}/calling_plans`, { body: { source_type: 200, target_type: 3000 } }),
        () => h.api("PUT", "/phone/users/ghost@example.com/calling_plans", { body: { source_type: 200, target_type: 3000 } }),
      ],
    },
    "DELETE /phone/users/{userId}/calling_plans/{planType}": {
      ok: [
        async () => {
          const id = await newPhoneUser();
          await h.api("POST", `/phone/users/${id}/calling_plans`, { body: { calling_plans: [{ type: 3000 }] } });
          return h.api("DELETE", `/phone/users/${id}/calling_plans/3000`);
        },
      ],
      errors: [
        async () => h.api("DELETE", `/phone/users/${await newPhoneUser()}/calling_plans/3000`),
        () => h.api("DELETE", "/phone/users/ghost@example.com/calling_plans/3000"),
      ],
    },
    "POST /phone/users/{userId}/phone_numbers": {
      ok: [
        () => h.api("POST", `/phone/users/${ids["active@example.com"]}/phone_numbers`, { body: { phone_numbers: [{ id: ids.number }] } }),
      ],
      errors: [
        () =>
          h.api("POST", `/phone/users/${ids["active@example.com"]}/phone_numbers`, {
            body: { phone_numbers: [{ number: "+14155550102" }] },
          }),
        () =>
          h.api("POST", `/phone/users/${ids["active@example.com"]}/phone_numbers`, {
            body: { phone_numbers: [{ number: "+14155550103" }] },
          }),
        () =>
          h.api("POST", `/phone/users/${ids["active@example.com"]}/phone_numbers`, {
            body: { phone_numbers: [{ number: "+19995550100" }] },
          }),
        () => h.api("POST", "/phone/users/ghost@example.com/phone_numbers", { body: { phone_numbers: [{ id: ids.number }] } }),
      ],
    },
    "DELETE /phone/users/{userId}/phone_numbers/{phoneNumberId}": {
      ok: [() => h.api("DELETE", `/phone/users/${ids["holder@example.com"]}/phone_numbers/${encodeURIComponent("+14155550102")}`)],
      errors: [
        () => h.api("DELETE", `/phone/users/${ids["active@example.com"]}/phone_numbers/${encodeURIComponent("+14155550103")}`),
        () => h.api("DELETE", `/phone/users/ghost@example.com/phone_numbers/${ids.number}`),
      ],
    },
    "GET /phone/sites": {
      ok: [() => h.api("GET", "/phone/sites"), () => h.api("GET", "/phone/sites?site_name=Coded")],
      errors: [() => h.api("GET", "/phone/sites", { token: limited() })],
    },
    "GET /phone/sites/{siteId}": {
      ok: [() => h.api("GET", `/phone/sites/${ids.site}`)],
      errors: [() => h.api("GET", "/phone/sites/missing")],
    },
    "GET /phone/calling_plans": {
      ok: [() => h.api("GET", "/phone/calling_plans")],
      errors: [() => h.api("GET", "/phone/calling_plans", { token: "bogus" })],
    },
    "GET /phone/numbers": {
      ok: [
        () => h.api("GET", "/phone/numbers?type=unassigned"),
        () => h.api("GET", `/phone/numbers?type=assigned&site_id=${ids.site}`),
        () => h.api("GET", `/phone/numbers?phone_number=${encodeURIComponent("+14155550103")}`),
      ],
      errors: [() => h.api("GET", "/phone/numbers", { token: limited() })],
    },
  };
}
