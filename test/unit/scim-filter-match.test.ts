// Filter evaluation (RFC 7644 §3.4.2.2) over realistic User and Group resources.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceSchemaFrom, type JsonObject } from "../../src/scim/attributes/index.js";
import { equalityConjuncts, matchesFilter, matchesValueFilter, parseFilter } from "../../src/scim/filter/index.js";
import { CORE_USER_URN, ENTERPRISE_USER_URN, ZOOM_USER_URN, groupSchemaDefinition, userSchemaDefinition } from "../../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

const ann: JsonObject = {
  schemas: [CORE_USER_URN, ENTERPRISE_USER_URN, ZOOM_USER_URN],
  id: "KDcuGIm1S5a6aQpoD8QGpw",
  externalId: "00u1abcd",
  userName: "Ann.Lee@Example.com",
  name: { givenName: "Ann", familyName: "Lee", formatted: "Ann Lee" },
  displayName: "Ann Lee",
  title: "",
  active: true,
  emails: [
    { value: "ann.lee@example.com", type: "work", primary: true },
    { value: "ann@home.example", type: "home" },
  ],
  phoneNumbers: [],
  [ENTERPRISE_USER_URN]: { department: "Sales", employeeNumber: "701984", manager: { value: "m-1" } },
  [ZOOM_USER_URN]: { status: "pending", type: 2 },
  meta: { resourceType: "User", created: "2024-01-10T08:00:00Z", lastModified: "2024-05-01T12:30:00.000Z" },
};

const team: JsonObject = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "g-1",
  displayName: "Sales Team",
  members: [
    { value: "KDcuGIm1S5a6aQpoD8QGpw", display: "Ann Lee", type: "User" },
    { value: "u-2", display: "Bo" },
  ],
  meta: { resourceType: "Group" },
};

function matches(expression: string, resource: JsonObject = ann, schema = user): boolean {
  return matchesFilter(resource, parseFilter(expression, schema));
}

describe("matchesFilter: comparisons", () => {
  it("compares userName, displayName and emails.value case-insensitively", () => {
    assert.equal(matches('userName eq "ann.lee@example.com"'), true);
    assert.equal(matches('USERNAME EQ "ANN.LEE@EXAMPLE.COM"'), true);
    assert.equal(matches('displayName eq "ann lee"'), true);
    assert.equal(matches('emails.value eq "ANN@HOME.EXAMPLE"'), true);
    assert.equal(matches('userName eq "bo@example.com"'), false);
  });

  it("compares id and externalId case-sensitively", () => {
    assert.equal(matches('id eq "KDcuGIm1S5a6aQpoD8QGpw"'), true);
    assert.equal(matches('id eq "kdcugim1s5a6aqpod8qgpw"'), false);
    assert.equal(matches('externalId eq "00u1abcd"'), true);
    assert.equal(matches('externalId eq "00U1ABCD"'), false);
  });

  it("implements co, sw, ew and ne", () => {
    assert.equal(matches('userName co "LEE@"'), true);
    assert.equal(matches('userName sw "ann."'), true);
    assert.equal(matches('userName ew "example.COM"'), true);
    assert.equal(matches('userName sw "lee"'), false);
    assert.equal(matches('userName ne "someone@example.com"'), true);
    assert.equal(matches('userName ne "ANN.LEE@example.com"'), false);
    assert.equal(matches('nickName ne "x"'), true, "an unassigned attribute is not equal to a value");
    assert.equal(matches('nickName co ""'), false, "nothing to compare on an unassigned attribute");
  });

  it("orders strings lexicographically and numbers numerically", () => {
    assert.equal(matches('name.familyName gt "Kim"'), true);
    assert.equal(matches('name.familyName lt "kim"'), false);
    assert.equal(matches('name.familyName ge "lee"'), true);
    assert.equal(matches('name.familyName le "LEE"'), true);
    assert.equal(matches(`${ZOOM_USER_URN}:type gt 1`), true);
    assert.equal(matches(`${ZOOM_USER_URN}:type lt 2`), false);
    assert.equal(matches(`${ZOOM_USER_URN}:type le 2.0`), true);
  });

  it("compares dateTimes as instants", () => {
    assert.equal(matches('meta.lastModified gt "2024-05-01T12:00:00Z"'), true);
    assert.equal(matches('meta.lastModified gt "2024-05-01T14:00:00+01:00"'), false, "14:00+01:00 is 13:00Z, after 12:30Z");
    assert.equal(matches('meta.lastModified eq "2024-05-01T12:30:00Z"'), true, "the same instant written differently");
    assert.equal(matches('meta.lastModified ge "2024-05-01T12:30:00Z" and meta.created lt "2024-01-10T08:00:01Z"'), true);
    assert.equal(matches('meta.created le "2023-12-31T23:59:59Z"'), false);
  });

  it("compares booleans", () => {
    assert.equal(matches("active eq true"), true);
    assert.equal(matches('active eq "False"'), false);
    assert.equal(matches("active ne false"), true);
    assert.equal(matches("emails.primary eq true"), true);
  });

  it("treats unassigned, null, empty strings and [] alike for pr and null", () => {
    assert.equal(matches("displayName pr"), true);
    assert.equal(matches("title pr"), false, "an empty string is not a value");
    assert.equal(matches("phoneNumbers pr"), false);
    assert.equal(matches("nickName pr"), false);
    assert.equal(matches("name pr"), true);
    assert.equal(matches("emails pr"), true);
    assert.equal(matches("nickName eq null"), true);
    assert.equal(matches("displayName eq null"), false);
    assert.equal(matches("displayName ne null"), true);
    assert.equal(matches("phoneNumbers.value eq null"), true);
  });
});

describe("matchesFilter: multi-valued, value paths and extensions", () => {
  it("matches a sub-attribute of a multi-valued attribute on any element", () => {
    assert.equal(matches('emails.value ew "@home.example"'), true);
    assert.equal(matches('emails.type eq "other"'), false);
    assert.equal(matches('emails.type ne "work"'), true, "the home email is not work");
    assert.equal(matches('schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"'), true);
  });

  it("applies a value filter to one element at a time", () => {
    assert.equal(matches('emails[type eq "work" and value co "lee@"]'), true);
    assert.equal(matches('emails[type eq "home" and value co "lee@"]'), false, "no single email is both home and lee@");
    assert.equal(matches('emails[type eq "home" or primary eq true]'), true);
    assert.equal(matches('emails[not (type eq "work")]'), true);
    assert.equal(matches('ims[type eq "xmpp"]'), false);
  });

  it('applies `emails[type eq "work"].value eq …` to the element the brackets selected (Entra)', () => {
    assert.equal(matches('emails[type eq "work"].value eq "ann.lee@example.com"'), true);
    assert.equal(matches('emails[type eq "work"].value eq "ann@home.example"'), false);
    // Written as two conditions, they may hold on different emails.
    assert.equal(matches('emails[type eq "work"] and emails.value eq "ann@home.example"'), true);
    assert.equal(matches('emails[type eq "work"].value pr'), true);
    assert.equal(matches('emails[type eq "home"].primary eq true'), false);
  });

  it("reads extension attributes under their URN", () => {
    assert.equal(matches(`${ENTERPRISE_USER_URN}:department eq "sales"`), true);
    assert.equal(matches(`${ENTERPRISE_USER_URN}:manager.value eq "m-1"`), true);
    assert.equal(matches(`${ENTERPRISE_USER_URN}:costCenter pr`), false);
    assert.equal(matches(`${ZOOM_USER_URN}:status eq "pending"`), true);
    assert.equal(matches(`${ENTERPRISE_USER_URN}:department eq "Sales"`, { userName: "x" }), false, "no extension object");
  });

  it("does not trip over missing or odd-shaped attributes", () => {
    const sparse: JsonObject = { id: "x", userName: "x", emails: { value: "x@y.z", type: "work" }, name: "not an object" };
    assert.equal(matches('emails[type eq "work"].value eq "x@y.z"', sparse), true, "a lone object is read as one element");
    assert.equal(matches('name.givenName eq "x"', sparse), false);
    assert.equal(matches('phoneNumbers[type eq "work"]', sparse), false);
    assert.equal(matches("active eq true", { active: "true" }), true, "stored boolean strings still compare");
  });
});

describe("matchesFilter: logic", () => {
  it("combines with and, or, not and grouping", () => {
    assert.equal(matches('userName eq "x" or displayName eq "Ann Lee" and active eq true'), true);
    assert.equal(matches('(userName eq "x" or displayName eq "Ann Lee") and active eq false'), false);
    assert.equal(matches('not (userName eq "x") and not (active eq false)'), true);
    assert.equal(matches('userName eq "x" or not (emails[type eq "home"])'), false);
  });

  it("answers Entra's group membership check and Okta's group lookup", () => {
    assert.equal(matches('id eq "g-1" and members[value eq "u-2"]', team, group), true);
    assert.equal(matches('id eq "g-1" and members[value eq "u-3"]', team, group), false);
    assert.equal(matches('id eq "g-2" and members[value eq "u-2"]', team, group), false);
    assert.equal(matches('displayName eq "sales team"', team, group), true);
    assert.equal(matches('members.value eq "KDcuGIm1S5a6aQpoD8QGpw"', team, group), true);
    assert.equal(matches('members.value eq "kdcugim1s5a6aqpod8qgpw"', team, group), true, "members.value is caseExact false");
  });
});

describe("matchesValueFilter", () => {
  it("evaluates an equality conjunct's element condition on one element", () => {
    const [conjunct] = equalityConjuncts(parseFilter('emails[type eq "work"].value eq "ann.lee@example.com"', user));
    assert.ok(conjunct?.valueFilter);
    const emails = ann.emails as JsonObject[];
    assert.deepEqual(
      emails.map((email) => matchesValueFilter(email, conjunct.valueFilter!)),
      [true, false],
    );
  });
});
