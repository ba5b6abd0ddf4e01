// Recursive-descent parser for RFC 7644 §3.4.2.2 filters and §3.5.2 PATCH paths, resolving every attribute against
// the schema as it goes. Bounded by SCIM_LIMITS: length before tokenising, comparisons as they are parsed, and
// nesting (so the recursion is at most a few frames per level and deep input cannot overflow the stack).
// Precedence: not > and > or; parentheses group; brackets filter the elements of a complex attribute. Our own parser (not scim2-parse-filter) so that `emails[type eq "work"].value eq "x"` stays distinct from
// `emails[type eq "work"] and emails.value eq "x"`, and so that errors can name the character at fault.
import type { AttributeMeta, ResolvedPath, ResourceSchema } from "../attributes/schema-meta.js";
import { canonicalPath, findAttribute, resolvePath, resourceLabel } from "../attributes/schema-meta.js";
import type { ScimType } from "../errors.js";
import { ScimError } from "../errors.js";
import { SCIM_LIMITS } from "../limits.js";
import type { CompareNode, CompareOperator, FilterNode, FilterValue, PresentNode } from "./ast.js";
import { COMPARE_OPERATORS } from "./ast.js";
import { checkComparison } from "./types.js";
import type { Token } from "./lexer.js";
import { tokenize } from "./lexer.js";

const { filterMaxLength: MAX_LENGTH, filterMaxComparisons: MAX_COMPARISONS, filterMaxDepth: MAX_NESTING } = SCIM_LIMITS;
const EXAMPLE = 'a filter compares an attribute with a value, e.g. userName eq "bjensen"';

export interface ParsedPatchPath {
  /** The attribute, with its sub-attribute when the path has no value filter ("name.givenName"). */
  path: ResolvedPath;
  /** The value filter of `emails[type eq "work"]`; `path` is then the multi-valued attribute itself. */
  filter?: FilterNode;
  /** The sub-attribute after the filter: `emails[type eq "work"].value`. */
  subAttribute?: AttributeMeta;
}

type Mode = "filter" | "path";

class Parser {
  private index = 0;
  private depth = 0;
  private comparisons = 0;
  private inBrackets = false;
  private readonly tokens: Token[];

  constructor(
    private readonly source: string,
    private readonly schema: ResourceSchema,
    private readonly mode: Mode,
  ) {
    if (source.length > MAX_LENGTH) {
      this.fail(
        `it is ${source.length} characters long; at most ${MAX_LENGTH} are accepted, so shorten it or split it into several requests`,
      );
    }
    this.tokens = tokenize(source, (message) => this.fail(message));
  }

  /** Filters fail with invalidFilter; a PATCH path fails with invalidPath except inside its brackets (a filter). */
  fail(message: string, scimType?: ScimType): never {
    const type = scimType ?? (this.mode === "filter" || this.inBrackets ? "invalidFilter" : "invalidPath");
    const what = this.mode === "filter" ? "filter" : "PATCH path";
    const shown = this.source.length > 200 ? `${this.source.slice(0, 200)}…` : this.source;
    throw new ScimError(400, type, `Invalid ${what} '${shown}': ${message}.`);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index += 1;
    return token;
  }

  private previous(): Token | undefined {
    return this.index > 0 ? this.tokens[this.index - 1] : undefined;
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === "word" && token.text.toLowerCase() === word;
  }

  private describe(token: Token): string {
    return token.kind === "end" ? "the end of the text" : `"${token.text}" at character ${token.position}`;
  }

  private endsEarly(expected: string): never {
    const before = this.previous();
    if (before === undefined) this.fail(`it is empty; ${EXAMPLE}`);
    this.fail(`it ends after "${before.text}" (character ${before.position}); ${expected}`);
  }

  parseFilter(): FilterNode {
    const node = this.parseOr(undefined);
    this.expectEnd();
    return node;
  }

  parsePath(): ParsedPatchPath {
    const first = this.next();
    if (first.kind !== "word") {
      if (first.kind === "end") this.fail('it is empty; name an attribute, e.g. displayName or emails[type eq "work"].value');
      this.fail(`expected an attribute name, found ${this.describe(first)}`);
    }
    if (this.peek().kind !== "[") {
      this.expectEnd();
      return { path: this.resolveTopLevel(first) };
    }
    const { path, filter, subToken } = this.parseValueFilterBody(first);
    let subAttribute: AttributeMeta | undefined;
    if (subToken !== undefined) subAttribute = this.resolveSub(path, subToken).subAttribute;
    this.expectEnd();
    if (!path.attribute.multiValued)
      this.fail(`"${path.canonical}" is single-valued; a [filter] selects elements of a multi-valued attribute`, "invalidPath");
    const parsed: ParsedPatchPath = { path, filter };
    if (subAttribute !== undefined) parsed.subAttribute = subAttribute;
    return parsed;
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.kind === "end") return;
    if (token.kind === ")") this.fail(`")" at character ${token.position} closes nothing`);
    if (token.kind === "]") this.fail(`"]" at character ${token.position} closes nothing`);
    const joiner = this.mode === "filter" ? '; join expressions with "and" or "or"' : "";
    this.fail(`unexpected ${this.describe(token)}${joiner}`);
  }

  private nested<T>(open: Token, parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_NESTING) {
      this.fail(
        `it nests deeper than ${MAX_NESTING} levels at character ${open.position} (each "(", "[" and "not" is a level); flatten it`,
      );
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private parseOr(parent: ResolvedPath | undefined): FilterNode {
    const filters = [this.parseAnd(parent)];
    while (this.isKeyword(this.peek(), "or")) {
      this.next();
      filters.push(this.parseAnd(parent));
    }
    return filters.length === 1 ? filters[0]! : { op: "or", filters };
  }

  private parseAnd(parent: ResolvedPath | undefined): FilterNode {
    const filters = [this.parseUnary(parent)];
    while (this.isKeyword(this.peek(), "and")) {
      this.next();
      filters.push(this.parseUnary(parent));
    }
    return filters.length === 1 ? filters[0]! : { op: "and", filters };
  }

  private parseUnary(parent: ResolvedPath | undefined): FilterNode {
    const token = this.peek();
    if (this.isKeyword(token, "not")) {
      this.next();
      // RFC 7644 writes not "(" … ")"; a bare `not x eq 1` is read the same way.
      return this.nested(token, () => ({ op: "not", filter: this.parseUnary(parent) }));
    }
    if (token.kind === "(") {
      this.next();
      return this.nested(token, () => {
        const inner = this.parseOr(parent);
        const close = this.next();
        if (close.kind !== ")") {
          if (close.kind === "end") this.fail(`the "(" at character ${token.position} is never closed; add ")"`);
          this.fail(`expected ")" to close the "(" at character ${token.position}, found ${this.describe(close)}`);
        }
        return inner;
      });
    }
    if (token.kind === "word") return this.parseAttributeExpression(parent);
    if (token.kind === "end") this.endsEarly("add the expression that should follow it");
    this.fail(`expected an attribute name or "(", found ${this.describe(token)}`);
  }

  private parseAttributeExpression(parent: ResolvedPath | undefined): FilterNode {
    const name = this.next();
    if (this.peek().kind === "[") {
      if (parent !== undefined) this.fail(`value filters cannot be nested ("${name.text}[" at character ${name.position})`);
      const { path, filter, subToken } = this.parseValueFilterBody(name);
      if (subToken === undefined) return { op: "[]", path, filter };
      const then = this.parseComparison(subToken, this.resolveSub(path, subToken));
      return { op: "[]", path, filter, then };
    }
    const path = parent === undefined ? undefined : this.resolveSub(parent, name);
    return this.parseComparison(name, path);
  }

  /** `attr[valFilter]` and an optional `.sub` after it; `name` is the attribute token, the next token is "[". */
  private parseValueFilterBody(name: Token): { path: ResolvedPath; filter: FilterNode; subToken?: Token } {
    const path = this.resolveTopLevel(name);
    if (path.subAttribute !== undefined || path.attribute.type !== "complex") {
      this.fail(
        `"${name.text}" at character ${name.position} is not a complex attribute, so it cannot take a [filter]`,
        this.mode === "path" ? "invalidPath" : undefined,
      );
    }
    const open = this.next();
    const wasInBrackets = this.inBrackets;
    this.inBrackets = true;
    const filter = this.nested(open, () => this.parseOr(path));
    const close = this.next();
    if (close.kind !== "]") {
      if (close.kind === "end") this.fail(`the "[" at character ${open.position} is never closed; add "]"`);
      this.fail(`expected "]" to close the "[" at character ${open.position}, found ${this.describe(close)}`);
    }
    this.inBrackets = wasInBrackets;
    if (this.peek().kind !== ".") return { path, filter };
    const dot = this.next();
    const subToken = this.next();
    if (subToken.kind !== "word" || subToken.text.includes(".")) {
      this.fail(`expected a sub-attribute name after "]." at character ${dot.position}, found ${this.describe(subToken)}`);
    }
    return { path, filter, subToken };
  }

  private parseComparison(name: Token, resolvedPath: ResolvedPath | undefined): CompareNode | PresentNode {
    this.comparisons += 1;
    if (this.comparisons > MAX_COMPARISONS) {
      this.fail(
        `it has more than ${MAX_COMPARISONS} comparisons (the one at character ${name.position} is one too many); split it into several requests`,
      );
    }
    const operator = this.next();
    if (operator.kind === "end") {
      this.fail(
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "${name.text}" (character ${name.position}) but the text ends; ${EXAMPLE}`,
      );
    }
    const op = operator.kind === "word" ? operator.text.toLowerCase() : "";
    if (op !== "pr" && !COMPARE_OPERATORS.includes(op as CompareOperator)) {
      this.fail(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "${name.text}", found ${this.describe(operator)}`);
    }
    const raw = op === "pr" ? undefined : this.parseValue(operator);
    const path = resolvedPath ?? this.resolveTopLevel(name);
    const fail = (message: string): never => this.fail(`${message} (character ${name.position})`);
    if (op === "pr") {
      checkComparison(path, "pr", null, fail);
      return { op: "pr", path };
    }
    const value = checkComparison(path, op as CompareOperator, raw ?? null, fail);
    return { op: op as CompareOperator, path, value };
  }

  private parseValue(operator: Token): FilterValue {
    const token = this.next();
    if (token.kind === "string" || token.kind === "number") return token.value!;
    if (token.kind === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
      this.fail(`${this.describe(token)} is not a value; put strings in double quotes ("${token.text}")`);
    }
    if (token.kind === "end") this.endsEarly(`add the value "${operator.text}" compares with, e.g. "bjensen", 42, true or null`);
    this.fail(`expected a value after "${operator.text}" (a quoted string, a number, true, false or null), found ${this.describe(token)}`);
  }

  private resolveTopLevel(token: Token): ResolvedPath {
    const path = resolvePath(this.schema, token.text);
    if (path !== undefined) return path;
    const hint = this.extensionHint(token.text);
    const type: ScimType = this.mode === "path" ? "invalidPath" : "invalidFilter";
    this.fail(`"${token.text}" (character ${token.position}) is not an attribute of ${resourceLabel(this.schema)}${hint}`, type);
  }

  private extensionHint(name: string): string {
    const [first] = name.split(".");
    for (const extension of this.schema.extensions) {
      const attribute = first === undefined ? undefined : findAttribute(extension.attributes, first);
      if (attribute !== undefined) return `; extension attributes take their schema's URN: ${extension.id}:${name}`;
    }
    return "";
  }

  private resolveSub(parent: ResolvedPath, token: Token): ResolvedPath {
    let name = token.text;
    const prefix = `${parent.attribute.name.toLowerCase()}.`;
    if (name.toLowerCase().startsWith(prefix)) name = name.slice(prefix.length);
    const sub = name.includes(".") ? undefined : findAttribute(parent.attribute.subAttributes, name);
    if (sub === undefined) {
      const known = parent.attribute.subAttributes.map((s) => s.name).join(", ");
      const type: ScimType = this.mode === "path" && !this.inBrackets ? "invalidPath" : "invalidFilter";
      this.fail(`"${token.text}" (character ${token.position}) is not a sub-attribute of ${parent.canonical}; it has ${known}`, type);
    }
    const scope = { id: parent.schemaId, isExtension: parent.isExtension };
    return { ...parent, subAttribute: sub, canonical: canonicalPath(scope, parent.attribute, sub) };
  }
}

/**
 * Parses and resolves a filter (RFC 7644 §3.4.2.2). Throws ScimError 400 invalidFilter naming what is wrong and
 * where: syntax errors, bare words, truncated expressions, unknown operators or attributes, and comparisons that do
 * not fit the attribute's type.
 */
export function parseFilter(expression: string, schema: ResourceSchema): FilterNode {
  return new Parser(expression, schema, "filter").parseFilter();
}

/**
 * Parses a PATCH path (RFC 7644 §3.5.2: attrPath, or valuePath with an optional sub-attribute). Errors are
 * ScimError 400 invalidPath, or invalidFilter for the filter inside brackets. A bare extension URN is not a path here.
 */
export function parsePatchPath(path: string, schema: ResourceSchema): ParsedPatchPath {
  return new Parser(path, schema, "path").parsePath();
}
