// Which /Groups filters need whole memberships, and which only test a few users' membership (Entra's check).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFilter } from "../../src/scim/filter/index.js";
import { membershipProbes, referencesMembers } from "../../src/provisioning/groups/group-filter.js";
import { groupSchema } from "../../src/scim/group-schema.js";

const parse = (filter: string) => parseFilter(filter, groupSchema);

describe("group filters and membership", () => {
  it("sees every mention of members", () => {
    assert.equal(referencesMembers(parse('displayName eq "Sales"')), false);
    assert.equal(referencesMembers(parse('displayName eq "Sales" or not (members pr)')), true);
    assert.equal(referencesMembers(parse('members[display co "@x.com"]')), true);
  });

  it("probes the users of top-level member equalities (Entra's membership check)", () => {
    assert.deepEqual(membershipProbes(parse('id eq "g-1" and members[value eq "u-1"]')), ["u-1"]);
    assert.deepEqual(membershipProbes(parse('members.value eq "u-1" and (displayName sw "S" and members[value eq "u-2"])')), [
      "u-1",
      "u-2",
    ]);
    assert.equal(membershipProbes(parse('displayName eq "Sales"')), undefined, "no membership to probe");
  });

  it("needs whole memberships for anything else", () => {
    for (const filter of [
      'members[value eq "u-1"] or displayName eq "x"',
      'not (members[value eq "u-1"])',
      'members[display eq "a@x.com"]',
      'members[value eq "u-1" and type eq "User"]',
      "members pr",
      'members.value ne "u-1"',
      'id eq "g" and members[value sw "u"]',
    ]) {
      assert.equal(membershipProbes(parse(filter)), undefined, filter);
    }
  });
});
