// axe-core on every page type of the demo site, in the light and dark schemes, at 1280 and 390 px: a serious or
// critical violation fails the test and is listed with the elements it was found on, and so does
// any finding of the rules in `alsoFailing` (lesser impact, but problems readers met on this site).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { buildSite, launch, repo, serve } from "./harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Rules that fail at any impact: unnamed duplicate landmarks, empty table headers, and controls
    whose accessible name does not contain their visible text (an experimental rule, enabled). */
const alsoFailing = ["landmark-unique", "empty-table-header", "label-content-name-mismatch"];

/** One page of each type, and what shows that it finished loading. */
const pages = [
  ["home", "", "main h1"],
  ["section", "aws/", "main h1"],
  ["page with code and questions", "aws/step-functions/introduction-aws-step-functions/", ".content details"],
  ["page with code", "aws/lambda/", "pre.highlight .copy-button"],
  ["taxonomy list", "tags/", "main h1"],
  ["taxonomy term", "tags/serverless/", "main h1"],
  ["search with results", "search/?q=lambda", ".search-result"],
  ["playground", "playground/", ".asl-playground .asl-canvas svg"],
  ["404", "no-such-page/", "main h1"],
];

let browser;
let site;

before(async () => {
  browser = await launch();
  site = await serve(buildSite(repo));
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** Runs axe-core in `page` and returns its failing violations, one line each. */
async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (extra) => {
    const rules = Object.fromEntries(extra.map((id) => [id, { enabled: true }]));
    const result = await window.axe.run(document, { resultTypes: ["violations"], rules });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, alsoFailing);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || alsoFailing.includes(v.id))
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} ${n}`));
}

for (const width of [1280, 390]) for (const colorScheme of ["light", "dark"]) {
  for (const [kind, path, ready] of pages) {
    test(`${kind} (${colorScheme}, ${width} px): no serious or critical axe-core violations`, async () => {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(site.url + path);
      await page.locator(ready).first().waitFor();
      const found = await seriousViolations(page);
      await context.close();
      assert.ok(found.length === 0, `${found.length} problems on /${path}:\n${found.join("\n")}`);
    });
  }
}
