// A strict parser of Prometheus' text exposition format (version 0.0.4), for tests: every line must be a HELP, a
// TYPE or a sample of a family whose TYPE came first; names, labels, escapes and values are checked, and a series
// may appear once. It throws on the first line that breaks a rule, naming it.

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, MetricType>;
  help: Map<string, string>;
  samples: Sample[];
  /** The sample's value, or undefined when there is no such series (labels must match exactly). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The value, 0 when absent: a counter that never moved has no series yet. */
  count(name: string, labels?: Record<string, string>): number;
  /** Every series of a metric whose labels include `labels`. */
  series(name: string, labels?: Record<string, string>): Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

function parseValue(text: string, line: number): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  // Go's ParseFloat, which Prometheus uses, takes NaN in any case (prom-client writes "Nan").
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text))
    throw new Error(`line ${line}: value ${JSON.stringify(text)} is not a number`);
  return Number(text);
}

/** Labels from `{a="x",b="y"}` (the braces' content), escapes \\, \" and \n undone. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  for (;;) {
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new Error(`line ${line}: label without "="`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name}'s value is not quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[j + 1];
        if (next === "\\" || next === '"') value += next;
        else if (next === "n") value += "\n";
        else throw new Error(`line ${line}: bad escape \\${next ?? ""} in label ${name}`);
        j++;
      } else value += text[j];
    }
    if (j >= text.length) throw new Error(`line ${line}: label ${name}'s value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`line ${line}: expected "," or "}" after label ${name}`);
  }
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
const includes = (a: Record<string, string>, b: Record<string, string>): boolean => Object.entries(b).every(([k, v]) => a[k] === v);

export function parseExposition(text: string): Exposition {
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  /** Families with samples already (a TYPE must come before them). */
  const sampled = new Set<string>();
  if (text !== "" && !text.endsWith("\n")) throw new Error("the exposition does not end with a newline");
  const lines = text.split("\n").slice(0, -1);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw === "") continue;
    if (raw.startsWith("#")) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!match) throw new Error(`line ${line}: a comment that is neither HELP nor TYPE: ${raw}`);
      const [, kind, name = "", rest = ""] = match;
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      if (kind === "HELP") {
        if (help.has(name)) throw new Error(`line ${line}: second HELP for ${name}`);
        help.set(name, rest);
      } else {
        if (!TYPES.has(rest as MetricType)) throw new Error(`line ${line}: unknown type ${rest}`);
        if (types.has(name)) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (sampled.has(name)) throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        types.set(name, rest as MetricType);
      }
      continue;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) throw new Error(`line ${line}: no metric name: ${raw}`);
    const name = nameMatch[0];
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest.slice(1), line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(" ") || parts.length < 1 || parts.length > 2)
      throw new Error(`line ${line}: expected " value [timestamp]": ${raw}`);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp ${parts[1]}`);
    const family = [...types.entries()].find(([base, type]) => SUFFIXES[type].some((suffix) => base + suffix === name));
    if (!family) throw new Error(`line ${line}: sample ${name} has no TYPE before it`);
    if (family[1] === "histogram" && name.endsWith("_bucket") && labels.le === undefined)
      throw new Error(`line ${line}: a histogram bucket without "le"`);
    sampled.add(family[0]);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`line ${line}: series ${key} twice`);
    seen.add(key);
    samples.push({ name, labels, value: parseValue(parts[0] ?? "", line) });
  }
  const series = (name: string, labels: Record<string, string> = {}): Sample[] =>
    samples.filter((s) => s.name === name && includes(s.labels, labels));
  const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
    samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value;
  return { types, help, samples, value, count: (name, labels) => value(name, labels) ?? 0, series };
}
