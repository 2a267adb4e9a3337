// Runs queries on a built site's /search/ page in headless Chromium, as a reader would, and
// prints the result pages of each (paths without the base path, best first) as JSON.
// Run by bench/search_quality.py; needs `npm ci` in tests/browser (playwright-core).
//
//   node bench/search_quality.mjs OUTPUT_DIR QUERIES_JSON   (a JSON array of query strings)
import { readFileSync } from "node:fs";
import { launch, serve } from "../tests/browser/harness.mjs";

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
  console.error("usage: node bench/search_quality.mjs OUTPUT_DIR QUERIES_JSON");
  process.exit(2);
}
const queries = JSON.parse(readFileSync(file, "utf8"));
const site = await serve(dir, "/");
const browser = await launch();
const found = {};
try {
  const page = await (await browser.newContext()).newPage();
  for (const q of queries) {
    await page.goto(`${site.url}search/?q=${encodeURIComponent(q)}`);
    // Settled when the status names the query and the first results (up to 10) are listed.
    await page.waitForFunction((q) => {
      const status = document.querySelector(".search-status")?.textContent || "";
      if (!status.includes(q)) return false;
      if (/^No results/.test(status)) return true;
      const total = Number(status.match(/[\d,]+/)[0].replace(/,/g, ""));
      return document.querySelectorAll(".search-result").length >= Math.min(total, 10);
    }, q, { timeout: 60000 });
    found[q] = await page.locator(".search-result-title").evaluateAll((links) =>
      links.map((a) => new URL(a.href).pathname));
  }
} finally {
  await browser.close();
  await site.close();
}
console.log(JSON.stringify(found));
