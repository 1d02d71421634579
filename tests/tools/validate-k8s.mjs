// Validates Kubernetes objects offline, every document of every YAML file given:
//   node validate-k8s.mjs rendered.yaml [more.yaml ...]
// 1. against the Kubernetes API's own schemas, as kubernetes-models ships them
//    (generated from the OpenAPI document of Kubernetes 1.3x, pinned in
//    package-lock.json): required fields, types, enums, formats (quantities,
//    int-or-string, …);
// 2. strictly: TypeScript's excess-property check against the same models'
//    types, so a misspelt or misplaced field (`livenesProbe`, `ports` under
//    `spec`) fails too — the schemas themselves allow unknown fields.
// Exits 1 listing every problem. Used by scripts/test-deploy.sh.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-k8s.mjs file.yaml ...");
  process.exit(2);
}

const problems = [];
const objects = [];
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      problems.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    objects.push({ file, obj });
  }
}

// apiVersion "apps/v1" → kubernetes-models/apps/v1; "v1" → kubernetes-models/v1.
function modulePath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

for (const [i, { file, obj }] of objects.entries()) {
  const where = `${file}: ${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    problems.push(`${where}: no apiVersion or kind`);
    continue;
  }
  let model;
  try {
    model = (await import(modulePath(obj.apiVersion, obj.kind)))[obj.kind];
  } catch {
    problems.push(`${where}: unknown kind ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new model(obj).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
  objects[i].model = modulePath(obj.apiVersion, obj.kind);
}

// The strict pass: one TypeScript file, each object a literal of its type.
const dir = mkdtempSync(join(tmpdir(), "sw-k8s-"));
try {
  const lines = [];
  objects.forEach(({ obj, model }, i) => {
    if (!model) return;
    lines.push(`import type { I${obj.kind} as T${i} } from ${JSON.stringify(model)};`);
  });
  objects.forEach(({ file, obj, model }, i) => {
    if (!model) return;
    lines.push(`// ${file}: ${obj.kind}/${obj.metadata?.name}`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(obj, null, 1)};`);
  });
  const ts = join(dir, "objects.ts");
  writeFileSync(ts, lines.join("\n") + "\n");
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext",
        target: "es2022", skipLibCheck: true, types: [], typeRoots: [join(here, "node_modules")],
        baseUrl: here, paths: { "*": [join(here, "node_modules", "*")] },
      },
      files: [ts],
    }),
  );
  try {
    execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", dir], {
      encoding: "utf8", cwd: here,
    });
  } catch (e) {
    const src = readFileSync(ts, "utf8").split("\n");
    for (const line of (e.stdout || String(e)).split("\n").filter((l) => l.includes("error"))) {
      // objects.ts(LINE,COL): error TS…: the object is the last "// file: Kind/name" above LINE.
      const m = line.match(/objects\.ts\((\d+),\d+\)/);
      let label = "";
      if (m) for (let l = Number(m[1]) - 1; l >= 0; l--) if (src[l].startsWith("// ")) { label = src[l].slice(3); break; }
      problems.push(`${label}: ${line.replace(/^.*?error /, "")}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length) {
  for (const p of problems) console.error(`k8s: ${p}`);
  console.error(`k8s: ${problems.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.log(`k8s: ${objects.length} objects valid (${files.length} file(s))`);
