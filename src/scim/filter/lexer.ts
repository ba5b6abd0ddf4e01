// Tokens of the RFC 7644 §3.4.2.2 filter grammar (also used for PATCH paths), each with its 1-based position so
// error details can point at the offending character.

export type TokenKind = "word" | "string" | "number" | "(" | ")" | "[" | "]" | "." | "end";

export interface Token {
  kind: TokenKind;
  /** The source text of the token ("" for end). */
  text: string;
  /** 1-based character position in the source. */
  position: number;
  /** The decoded value of string and number tokens. */
  value?: string | number;
}

export type FailAt = (message: string, position: number) => never;

const WORD_START = /[A-Za-z_$]/;
// Attribute paths: URNs (colons, dots, dashes), sub-attributes after dots, "$ref".
const WORD_CHAR = /[A-Za-z0-9_$:.-]/;
// Sticky, so matching at a position needs no slice of the rest (a slice per number would be quadratic).
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function tokenize(source: string, fail: FailAt): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const position = i + 1;
    if (ch === "(" || ch === ")" || ch === "[" || ch === "]") {
      tokens.push({ kind: ch, text: ch, position });
      i += 1;
    } else if (ch === "." && tokens.at(-1)?.kind === "]") {
      // Only meaningful right after a value filter: emails[type eq "work"].value
      tokens.push({ kind: ".", text: ch, position });
      i += 1;
    } else if (ch === '"') {
      const end = closingQuote(source, i);
      if (end < 0) fail(`the quoted value that starts at character ${position} is never closed; add the closing "`, position);
      const text = source.slice(i, end + 1);
      tokens.push({ kind: "string", text, position, value: decodeString(text) });
      i = end + 1;
    } else if (ch === "-" || /\d/.test(ch)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(source);
      if (match === null) fail(`"${ch}" at character ${position} does not start a number`, position);
      const after = source[i + match[0].length];
      if (after !== undefined && WORD_CHAR.test(after)) {
        fail(`"${wordAt(source, i)}" at character ${position} is not a number; quote string values ("…")`, position);
      }
      tokens.push({ kind: "number", text: match[0], position, value: Number(match[0]) });
      i += match[0].length;
    } else if (WORD_START.test(ch)) {
      const text = wordAt(source, i);
      tokens.push({ kind: "word", text, position });
      i += text.length;
    } else {
      fail(`unexpected character "${ch}" at character ${position}`, position);
    }
  }
  tokens.push({ kind: "end", text: "", position: source.length + 1 });
  return tokens;
}

function wordAt(source: string, start: number): string {
  let end = start + 1;
  while (end < source.length && WORD_CHAR.test(source[end]!)) end += 1;
  return source.slice(start, end);
}

function closingQuote(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i += 1) {
    if (source[i] === "\\") i += 1;
    else if (source[i] === '"') return i;
  }
  return -1;
}

/** A JSON string literal's value; a literal JSON rejects (a stray "\x") keeps its characters with the backslashes dropped. */
function decodeString(literal: string): string {
  try {
    const decoded: unknown = JSON.parse(literal);
    if (typeof decoded === "string") return decoded;
  } catch {
    // fall through to the lenient reading
  }
  return literal.slice(1, -1).replace(/\\(.)/g, "$1");
}
