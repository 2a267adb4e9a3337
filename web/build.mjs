// Bundles the theme's JavaScript libraries into committed assets, and records what they were
// built from so `cargo test` notices a stale bundle (xtask/tests/bundles_are_fresh.rs).
//   cd web && npm ci && npm run build
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = dirname(fileURLToPath(import.meta.url));
const vendor = join(web, "../static/js/vendor");

/** Each bundle: its entry, the global it defines and the file it becomes. */
const bundles = [
  { entry: "codemirror.mjs", global: "awskbCodeMirror", out: "codemirror.js" },
  { entry: "mermaid.mjs", global: "awskbMermaid", out: "mermaid.js" },
];

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

for (const bundle of bundles) {
  const outfile = join(vendor, bundle.out);
  await build({
    entryPoints: [join(web, bundle.entry)],
    bundle: true,
    minify: true,
    format: "iife",
    globalName: bundle.global,
    target: "es2020",
    legalComments: "eof",
    logLevel: "warning",
    outfile,
  });
  // The sources: the lockfile (every package's exact version), this script and the entry.
  const sources = ["package-lock.json", "build.mjs", bundle.entry]
    .map((name) => `${name} ${sha256(readFileSync(join(web, name)))}`)
    .join("\n");
  writeFileSync(`${outfile}.sources`, `${sources}\nbundle ${sha256(readFileSync(outfile))}\n`);
  console.log(`${outfile}: ${Math.round(readFileSync(outfile).length / 1024)} KB`);
}
