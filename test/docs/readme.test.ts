/** The README's reference tables stay true to config.yaml and actions.yaml. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import yaml from "js-yaml";

const readme = readFileSync("README.md", "utf8");

function tableRows(marker: string): string[][] {
  const start = readme.indexOf(`<!-- ${marker}:start -->`);
  const end = readme.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `README has a ${marker} table`);
  return readme
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe("README", () => {
  test("lists every config option with its type and default, and nothing else", () => {
    const options = (
      yaml.load(readFileSync("config.yaml", "utf8")) as {
        options: Record<string, { type: string; default: unknown }>;
      }
    ).options;
    const rows = tableRows("config");
    assert.deepEqual(
      rows.map(([name, type, fallback]) => [name, type, fallback]),
      Object.entries(options).map(([name, option]) => [
        `\`${name}\``,
        option.type,
        `\`${option.default === "" ? '""' : String(option.default)}\``,
      ]),
    );
  });

  test("lists every action, and nothing else", () => {
    const actions = yaml.load(readFileSync("actions.yaml", "utf8")) as Record<string, unknown>;
    assert.deepEqual(
      tableRows("actions").map(([name]) => name),
      Object.keys(actions).map((name) => `\`${name}\``),
    );
  });

  test("the Layout table names folders that exist, and every folder of src/ and test/ has a row", () => {
    const named = tableRows("layout").flatMap(([cell]) =>
      [...cell!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, "")),
    );
    for (const path of named) assert.ok(existsSync(path), `${path} exists`);
    const folders = (dir: string, depth: number): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => {
          const path = join(dir, entry.name);
          return depth > 1 ? [path, ...folders(path, depth - 1)] : [path];
        });
    const holdsFiles = (dir: string) =>
      readdirSync(dir, { withFileTypes: true }).some((entry) => entry.isFile());
    // test/unit/ has one folder per feature or adapter; its row covers them.
    const expected = [...folders("src", 9), ...folders("test", 3)].filter(
      (path) => holdsFiles(path) && !path.startsWith("test/unit/"),
    );
    assert.deepEqual(
      expected.filter((path) => !named.includes(path)),
      [],
    );
  });

  test("has exactly the two set-up commands, and CI runs the same test command", () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    assert.ok(blocks.includes("npm ci && npm start"));
    assert.ok(blocks.includes("npm test"));
    assert.match(readFileSync(".ci/run", "utf8"), /^npm test$/m);
  });
});
