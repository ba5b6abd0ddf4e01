// The layers of docs/architecture.md, checked on the source: every relative import of every file under src/ must
// go to a layer its own layer may use, so that data flows one way (http → provisioning → scim, zoom, store).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Layer → the layers it may import (besides itself). `type:` entries allow type-only imports. */
const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  scim: ["lib"],
  zoom: ["lib"],
  store: ["lib"],
  config: ["lib", "type:store", "type:zoom"],
  provisioning: ["lib", "scim", "zoom", "store", "config"],
  http: ["lib", "provisioning", "scim", "config", "type:store", "type:zoom"],
  simulator: ["lib"],
  cli: ["lib", "config", "server.ts", "store", "provisioning", "http", "zoom", "simulator"],
  "server.ts": ["lib", "config", "http", "provisioning", "store", "zoom"],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

const layerOf = (file: string): string => (relative(SRC, file).split("/")[0] as string).replace(/\.js$/, ".ts");

interface Import {
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const source = readFileSync(file, "utf8");
  const found: Import[] = [];
  for (const match of source.matchAll(/^(import|export)(\s+type)?\b[^;]*?from\s+"(\.[^"]+)"/gms)) {
    found.push({ target: resolve(dirname(file), match[3] as string), typeOnly: match[2] !== undefined });
  }
  for (const match of source.matchAll(/import\(\s*"(\.[^"]+)"\s*\)/g))
    found.push({ target: resolve(dirname(file), match[1] as string), typeOnly: false });
  return found;
}

describe("architecture", () => {
  it("every import in src/ goes down the layers, never back up", () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      assert.ok(allowed, `${relative(SRC, file)}: layer ${from} is not in docs/architecture.md`);
      for (const { target, typeOnly } of importsOf(file)) {
        const to = layerOf(target);
        if (to === from || allowed.includes(to) || (typeOnly && allowed.includes(`type:${to}`))) continue;
        violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}${typeOnly ? " (type)" : ""}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it("only the sandbox and the `simulate` command load the simulator, on demand", () => {
    const loaders = files(SRC)
      .filter((file) => layerOf(file) !== "simulator")
      .filter((file) => importsOf(file).some(({ target }) => layerOf(target) === "simulator"))
      .map((file) => relative(SRC, file));
    assert.deepEqual(loaders, ["cli/main.ts", "cli/sandbox.ts"]);
    for (const file of loaders) {
      const source = readFileSync(join(SRC, file), "utf8");
      assert.doesNotMatch(source, /^import [^;]*from "\.\.\/simulator/m, `${file} imports the simulator statically`);
    }
  });
});
