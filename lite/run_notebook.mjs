#!/usr/bin/env node
// Runs notebooks' code cells in order in Pyodide under Node, the way the JupyterLite kernel runs
// them in a page, with no network:
//
//   node lite/run_notebook.mjs --dist DIR [--kernel KDIR] NOTEBOOK.ipynb [...]
//
// DIR: a distribution written by `python lite/distribution.py DIR`. KDIR (default
// .cache/lite/kernel, filled by `make lite-deps`): the JupyterLite kernel's Python wheels
// (pyodide_kernel and its ipykernel stand-in); cells run through its shell (lite/run_notebook.py).
// Each notebook gets a fresh Pyodide with the course loaded from DIR. A cell that imports numpy or
// matplotlib, or a course module that does, is skipped and named (their Pyodide builds are served
// only by Pyodide's own package server). Between cells JavaScript's queued work runs, as between
// two messages to a kernel in a page.
//
// Prints one line per cell, then one line `SUMMARY {json}` per notebook: {notebook, cells:
// [{index, id, status: ok|error|skipped, reason?, outputs: [mime or stream name], printed?
// (what it printed, colours removed), svg_nodes? and svg_texts? (of an SVG it showed), ename?,
// evalue?}], checks: [{test_id, index, id, passed, text, ename?}], skipped: [{index, id,
// reason}]}. A check's text is its ✔ or ✘ line, colours removed. Exit status: 0 when every cell
// that ran ended without an error, 1 otherwise, 2 when it could not run at all.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

function usage(message) {
  console.error(`${message}\nusage: node lite/run_notebook.mjs --dist DIR [--kernel KDIR] NOTEBOOK.ipynb [...]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let dist = null;
let kernel = path.join(here, "..", ".cache", "lite", "kernel");
const notebooks = [];
while (args.length) {
  const arg = args.shift();
  if (arg === "--dist") dist = args.shift();
  else if (arg === "--kernel") kernel = args.shift();
  else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
  else notebooks.push(arg);
}
if (!dist) usage("give --dist DIR (python lite/distribution.py DIR writes one)");
if (!notebooks.length) usage("give at least one notebook");
if (!existsSync(path.join(dist, "pyodide.mjs"))) usage(`${dist} has no pyodide.mjs: python lite/distribution.py ${dist}`);
const kernelWheels = existsSync(kernel)
  ? readdirSync(kernel).filter((f) => /^(pyodide_kernel|ipykernel)-.*\.whl$/.test(f))
  : [];
if (kernelWheels.length !== 2) usage(`${kernel} lacks the kernel's wheels (pyodide_kernel, ipykernel): make lite-deps`);

// Graphviz's WebAssembly build, under Node, asks CommonJS for its own file name (a page has
// `location` instead): give it what a CommonJS module would have.
globalThis.require = createRequire(import.meta.url);
globalThis.__filename = fileURLToPath(import.meta.url);

// Pyodide says on its stdout which packages an import loads: not this runner's output (the
// cells' own output goes through the kernel's streams, not there).
const LOADING = /^(Loading |Loaded |No new packages to load|\S+ already loaded from )/;
const pyodideStdout = (line) => LOADING.test(line) || console.log(line);

const { loadPyodide } = await import(pathToFileURL(path.resolve(dist, "pyodide.mjs")).href);
const ANSI = /\x1b\[[0-9;]*m/g;
const nextTask = () => new Promise((resolve) => setImmediate(resolve));

function markLine(text) {
  return (text || "")
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.startsWith("✔ ") || line.startsWith("✘ "));
}

function checkText(text) {
  // a ✔ or ✘ line and the lines that continue it (indented), as one line
  const lines = (text || "").replace(ANSI, "").split("\n");
  const start = lines.findIndex((line) => /^[✔✘] /.test(line.trim()));
  if (start < 0) return null;
  const rest = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ")) break;
    rest.push(line.trim());
  }
  return [lines[start].trim(), ...rest].join(" ");
}

async function runNotebook(file) {
  const notebook = JSON.parse(readFileSync(file, "utf-8"));
  const pyodide = await loadPyodide({ indexURL: path.resolve(dist) + "/", stdout: pyodideStdout });
  await pyodide.loadPackage(["micrograd-from-zero", "ipython"], { messageCallback: () => {} });
  for (const wheel of kernelWheels) {
    pyodide.unpackArchive(new Uint8Array(readFileSync(path.join(kernel, wheel))), "wheel");
  }
  pyodide.runPython(readFileSync(path.join(here, "run_notebook.py"), "utf-8"));
  const needsUnavailable = pyodide.globals.get("needs_unavailable");
  const runCell = pyodide.globals.get("run_cell");
  const summary = { notebook: file, cells: [], checks: [], skipped: [] };
  let failed = false;
  console.log(`== ${file}`);
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const id = cell.id || `cell-${index}`;
    const testId = cell.metadata?.autograd_course?.test_id;
    const reason = needsUnavailable(source);
    if (reason) {
      const why = `it needs ${reason.split(" → ").at(-1).split(".")[0]} (imports ${reason})`;
      summary.cells.push({ index, id, status: "skipped", reason: why });
      summary.skipped.push({ index, id, reason: why });
      console.log(`cell ${index} ${id}: skipped, ${why}`);
      continue;
    }
    const reply = JSON.parse(await runCell(source));
    await nextTask();
    const outputs = reply.outputs.map((o) =>
      o.output_type === "stream" ? o.name : Object.keys(o.data).join("+"),
    );
    const record = { index, id, status: reply.status, outputs };
    const printed = reply.outputs
      .filter((o) => o.output_type === "stream")
      .map((o) => o.text)
      .join("");
    if (printed) record.printed = printed.replace(ANSI, "");
    const svgs = reply.outputs.map((o) => o.data?.["image/svg+xml"]).filter(Boolean);
    if (svgs.length) {
      // what a drawing shows: its nodes (Graphviz's class="node" groups) and its texts
      record.svg_nodes = (svgs[0].match(/class="node"/g) || []).length;
      record.svg_texts = [...svgs[0].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    }
    if (reply.status === "error") {
      Object.assign(record, { ename: reply.ename, evalue: reply.evalue });
      failed = true;
    }
    summary.cells.push(record);
    let line = reply.status === "error" ? `error ${reply.ename}: ${markLine(reply.traceback.join("\n")) || reply.evalue}` : "ok";
    if (testId) {
      const text = reply.status === "error" ? checkText(reply.traceback.join("\n")) : checkText(printed);
      const passed = reply.status === "ok" && text !== null && text.startsWith("✔ ");
      summary.checks.push({ test_id: testId, index, id, passed, text, ...(reply.ename ? { ename: reply.ename } : {}) });
      line = text || line;
    } else if (outputs.length) {
      line += ` (${outputs.join(", ")})`;
    }
    console.log(`cell ${index} ${id}: ${line}`);
  }
  console.log(`SUMMARY ${JSON.stringify(summary)}`);
  return failed;
}

let anyFailed = false;
for (const file of notebooks) {
  anyFailed = (await runNotebook(file)) || anyFailed;
}
process.exit(anyFailed ? 1 : 0);
