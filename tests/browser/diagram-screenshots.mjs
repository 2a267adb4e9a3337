// Pictures of diagrams, to look at them: renders each definition with `awskb asl render` and
// screenshots it in headless Chromium, light and dark.
//   node tests/browser/diagram-screenshots.mjs OUT_DIR DEFINITION.json...
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";
import { awskbBinary } from "./harness.mjs";

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error("usage: node tests/browser/diagram-screenshots.mjs OUT_DIR DEFINITION.json...");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme: scheme, deviceScaleFactor: 1 });
    for (const file of files) {
      let svg;
      try {
        svg = execFileSync(awskbBinary(), ["asl", "render", file], { stdio: ["ignore", "pipe", "pipe"] }).toString();
      } catch {
        console.log(`skipped (invalid): ${file}`);
        continue;
      }
      await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      const name = `${basename(file).replace(/\.[^.]+$/, "")}-${scheme}.png`;
      await page.locator("svg").screenshot({ path: join(out, name) });
      console.log(join(out, name));
    }
    await page.close();
  }
} finally {
  await browser.close();
}
