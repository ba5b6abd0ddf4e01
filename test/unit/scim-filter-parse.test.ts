// Filter parsing (RFC 7644 §3.4.2.2): grammar, precedence, resolution against the schema, and errors that say
// what is wrong and where. Also the equality conjuncts services use for indexed lookups.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceSchemaFrom } from "../../src/scim/attributes/index.js";
import { ScimError } from "../../src/scim/errors.js";
import { equalityConjuncts, parseFilter, type FilterNode } from "../../src/scim/filter/index.js";
import { ENTERPRISE_USER_URN, groupSchemaDefinition, userSchemaDefinition } from "../../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

/** A compact rendering of a parsed filter, to compare tree shapes. */
function show(node: FilterNode): string {
  switch (node.op) {
    case "and":
    case "or":
      return `(${node.filters.map(show).join(` ${node.op} `)})`;
    case "not":
      return `not ${show(node.filter)}`;
    case "[]":
      return `${node.path.canonical}[${show(node.filter)}]${node.then ? `.${show(node.then)}` : ""}`;
    case "pr":
      return `${node.path.canonical} pr`;
    default:
      return `${node.path.canonical} ${node.op} ${JSON.stringify(node.value)}`;
  }
}

function invalid(expression: string, detail: RegExp, schema = user): void {
  assert.throws(
    () => parseFilter(expression, schema),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, `expected a ScimError for ${expression}`);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, "invalidFilter");
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe("parseFilter: the grammar", () => {
  it("parses the clients' everyday filters", () => {
    assert.equal(show(parseFilter('userName eq "bjensen@example.com"', user)), 'userName eq "bjensen@example.com"');
    assert.equal(show(parseFilter('externalId eq "8c1bd5a7"', user)), 'externalId eq "8c1bd5a7"');
    assert.equal(show(parseFilter('displayName eq "Sales"', group)), 'displayName eq "Sales"');
    assert.equal(show(parseFilter('id eq "g1" and members[value eq "u1"]', group)), '(id eq "g1" and members[members.value eq "u1"])');
  });

  it("keeps a value path's sub-attribute on the element the brackets select", () => {
    assert.equal(
      show(parseFilter('emails[type eq "work"].value eq "a@b.c"', user)),
      'emails[emails.type eq "work"].emails.value eq "a@b.c"',
    );
    // Not the same filter: here the two conditions may hold on different emails.
    assert.equal(
      show(parseFilter('emails[type eq "work"] and emails.value eq "a@b.c"', user)),
      '(emails[emails.type eq "work"] and emails.value eq "a@b.c")',
    );
  });

  it("binds not tighter than and, and and tighter than or; parentheses group", () => {
    assert.equal(
      show(parseFilter('title pr or userType eq "x" and active eq true', user)),
      '(title pr or (userType eq "x" and active eq true))',
    );
    assert.equal(
      show(parseFilter('(title pr or userType eq "x") and active eq true', user)),
      '((title pr or userType eq "x") and active eq true)',
    );
    assert.equal(show(parseFilter("not (title pr) and nickName pr", user)), "(not title pr and nickName pr)");
    assert.equal(show(parseFilter("title pr and (nickName pr and (locale pr))", user)), "(title pr and (nickName pr and locale pr))");
  });

  it("accepts operators and logic words in any case, and RFC 7644's examples", () => {
    assert.equal(show(parseFilter('userName Eq "a" AND displayName CO "b"', user)), '(userName eq "a" and displayName co "b")');
    const examples = [
      'name.familyName co "O\'Malley"',
      'userName sw "J"',
      `${"urn:ietf:params:scim:schemas:core:2.0:User"}:userName sw "J"`,
      "title pr",
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'meta.lastModified ge "2011-05-13T04:42:34Z"',
      'meta.lastModified lt "2011-05-13T04:42:34Z"',
      'meta.lastModified le "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")'.replace("emails co", "emails.value co"),
      'userType ne "Employee" and not (emails.value co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails.type eq "work")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ];
    for (const example of examples) assert.doesNotThrow(() => parseFilter(example, user), example);
  });

  it("resolves extension URN paths and reads JSON strings, numbers and literals", () => {
    const department = parseFilter(`${ENTERPRISE_USER_URN}:department eq "Sales"`, user);
    assert.equal(show(department), `${ENTERPRISE_USER_URN}:department eq "Sales"`);
    assert.equal(show(parseFilter(`${ENTERPRISE_USER_URN}:manager.value eq "m1"`, user)), `${ENTERPRISE_USER_URN}:manager.value eq "m1"`);
    assert.equal(
      show(parseFilter("urn:ietf:params:scim:schemas:extension:zoom:1.0:User:type ge 2", user)),
      "urn:ietf:params:scim:schemas:extension:zoom:1.0:User:type ge 2",
    );
    assert.equal(show(parseFilter('displayName eq "say \\"hi\\" \\u00e9"', user)), 'displayName eq "say \\"hi\\" é"');
    assert.equal(show(parseFilter("active eq FALSE", user)), "active eq false");
    assert.equal(show(parseFilter("title eq null", user)), "title eq null");
  });

  it("converts values to the attribute's type where the intent is clear", () => {
    assert.equal(show(parseFilter('active eq "True"', user)), "active eq true");
    assert.equal(
      show(parseFilter('urn:ietf:params:scim:schemas:extension:zoom:1.0:User:type eq "2"', user)),
      "urn:ietf:params:scim:schemas:extension:zoom:1.0:User:type eq 2",
    );
    assert.equal(show(parseFilter("externalId eq 12345", user)), 'externalId eq "12345"');
  });
});

describe("parseFilter: errors", () => {
  it("rejects a bare word (Okta's SPEC test sends an upper-cased user name)", () => {
    invalid("JOHNDOE", /expected an operator .* after "JOHNDOE"/);
    invalid("JOHNDOE@EXAMPLE.COM", /unexpected character "@" at character 8/);
  });

  it("rejects truncated expressions and says where they end", () => {
    invalid('userName eq "a" or', /ends after "or" \(character 17\)/);
    invalid('userName eq "a" and', /ends after "and"/);
    invalid("userName eq", /ends after "eq".*add the value/);
    invalid("", /it is empty/);
    invalid("   ", /it is empty/);
    invalid("not", /ends after "not"/);
  });

  it("rejects unbalanced brackets and parentheses", () => {
    invalid('(userName eq "a"', /"\(" at character 1 is never closed/);
    invalid('userName eq "a")', /"\)" at character 16 closes nothing/);
    invalid('emails[type eq "work"', /"\[" at character 7 is never closed/);
    invalid('emails[type eq "work")', /expected "\]" to close/);
    invalid('userName eq "a"]', /closes nothing/);
    invalid('userName eq "abc', /quoted value that starts at character 13 is never closed/);
  });

  it("rejects unknown operators, unquoted strings and missing joins", () => {
    invalid('userName xx "a"', /expected an operator .* found "xx" at character 10/);
    invalid("userName eq bjensen", /"bjensen" at character 13 is not a value; put strings in double quotes/);
    invalid('userName eq "a" displayName eq "b"', /unexpected "displayName" at character 17; join expressions with "and" or "or"/);
    invalid('userName eq "a" xor displayName eq "b"', /unexpected "xor"/);
    invalid("userName eq 12abc", /not a number/);
    invalid('userName pr "x"', /unexpected ""x""/);
  });

  it("rejects unknown attributes, with a hint for unqualified extension attributes", () => {
    invalid('nope eq "x"', /"nope" \(character 1\) is not an attribute of User/);
    invalid('name.nope eq "x"', /"name.nope" .* is not an attribute of User/);
    invalid('department eq "Sales"', /take their schema's URN: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department/);
    invalid('emails[nope eq "x"]', /"nope" .* is not a sub-attribute of emails; it has value, display, type, primary/);
    invalid('userName eq "a"', /not an attribute of Group/, group);
  });

  it("rejects comparisons that do not fit the attribute's type", () => {
    invalid("active gt true", /"gt" does not apply to the boolean attribute "active"/);
    invalid('active eq "yes"', /"active" is boolean; compare it with true or false/);
    invalid("active eq 1", /is boolean/);
    invalid('name eq "Ann"', /"name" is complex; compare one of its sub-attributes/);
    invalid('emails co "example.com"', /"emails" is complex.*emails\.value/);
    invalid('meta.lastModified gt "yesterday"', /is a dateTime/);
    invalid('urn:ietf:params:scim:schemas:extension:zoom:1.0:User:type co "2"', /"co" does not apply to the number attribute/);
    invalid('x509Certificates.value gt "abc"', /"gt" does not apply to the binary attribute/);
    invalid("userName gt null", /cannot compare "userName" with null/);
    invalid("userName eq true", /"userName" is a string; compare it with a quoted value/);
    invalid('password eq "secret"', /never returned, so it cannot be filtered on/);
  });

  it("rejects brackets where they cannot go", () => {
    invalid('emails[type eq "work"][value eq "x"]', /unexpected "\["/);
    invalid('userName[value eq "x"]', /not a complex attribute/);
    invalid('emails[emails[type eq "work"]]', /cannot be nested/);
    invalid('emails[type eq "work"].', /expected a sub-attribute name after "\]\."/);
    invalid('emails[type eq "work"].nope eq "x"', /"nope" .* is not a sub-attribute of emails/);
    invalid('emails[type eq "work"].value', /expected an operator/);
  });

  it("limits nesting instead of overflowing the stack", () => {
    const deep = `${"(".repeat(500)}title pr${")".repeat(500)}`;
    invalid(deep, /nests deeper than 16 levels/);
    invalid(`${"not ".repeat(2_000)}title pr`, /nests deeper than 16 levels/);
    assert.equal(show(parseFilter("not not title pr", user)), "not not title pr");
  });
});

describe("equalityConjuncts", () => {
  const conjuncts = (expression: string, schema = user): Array<[string, unknown, boolean, string | undefined]> =>
    equalityConjuncts(parseFilter(expression, schema)).map((c) => [
      c.path,
      c.value,
      c.caseExact,
      c.valueFilter ? show(c.valueFilter) : undefined,
    ]);

  it("finds the equality of a single comparison", () => {
    assert.deepEqual(conjuncts('userName eq "Ann@Example.com"'), [["userName", "Ann@Example.com", false, undefined]]);
    assert.deepEqual(conjuncts('externalId eq "abc"'), [["externalId", "abc", true, undefined]]);
    assert.deepEqual(conjuncts('id eq "u1"'), [["id", "u1", true, undefined]]);
    assert.deepEqual(conjuncts('displayName eq "Sales"', group), [["displayName", "Sales", false, undefined]]);
  });

  it("finds every equality of the top-level and chain, however it nests", () => {
    assert.deepEqual(conjuncts('id eq "g1" and members[value eq "u1"]', group), [
      ["id", "g1", true, undefined],
      ["members.value", "u1", false, undefined],
    ]);
    assert.deepEqual(
      conjuncts('userName eq "a" and (active eq true and title pr)').map((c) => c[0]),
      ["userName", "active"],
    );
  });

  it("notes the element condition of a value path (Entra's email match)", () => {
    assert.deepEqual(conjuncts('emails[type eq "work"].value eq "a@b.c"'), [
      ["emails.value", "a@b.c", false, 'emails.type eq "work"'],
      ["emails.type", "work", false, 'emails.value eq "a@b.c"'],
    ]);
    assert.deepEqual(conjuncts('emails[type eq "work" and value eq "x"]'), [
      ["emails.type", "work", false, 'emails.value eq "x"'],
      ["emails.value", "x", false, 'emails.type eq "work"'],
    ]);
    assert.deepEqual(conjuncts(`${ENTERPRISE_USER_URN}:employeeNumber eq "42"`), [
      [`${ENTERPRISE_USER_URN}:employeeNumber`, "42", false, undefined],
    ]);
  });

  it("leaves out what is not a necessary equality", () => {
    assert.deepEqual(conjuncts('userName eq "a" or userName eq "b"'), []);
    assert.deepEqual(conjuncts('not (userName eq "a")'), []);
    assert.deepEqual(conjuncts('userName ne "a" and title co "x"'), []);
    assert.deepEqual(conjuncts('emails[type eq "work" or value eq "x"]'), []);
    assert.deepEqual(
      conjuncts('userName sw "a" and externalId eq "e"').map((c) => c[0]),
      ["externalId"],
    );
  });
});
