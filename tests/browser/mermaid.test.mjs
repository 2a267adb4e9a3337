// ```mermaid blocks drawn in the reader's browser by the bundled Mermaid: only on pages that
// have one, in the page's light or dark theme, with nothing fetched from elsewhere.
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { repo } from "./harness.mjs";
import { openPage, siteAndBrowser } from "./pages.mjs";

const env = siteAndBrowser(join(repo, "tests/fixtures/mermaid"));
const open = (path, options) => openPage(env, path, options);

/** The fill of the first flowchart node's shape, as drawn. */
const nodeFill = (page) => page.locator("pre.mermaid svg .node rect, pre.mermaid svg .node path").first()
  .evaluate((shape) => getComputedStyle(shape).fill);

test("a mermaid block becomes a diagram, loaded from the site only", async () => {
  const { page, requests, errors } = await open("flow/");
  const diagram = page.locator("pre.mermaid.mermaid-drawn svg").first();
  await diagram.waitFor();
  const labels = await diagram.locator(".nodeLabel").allTextContents();
  for (const label of ["Client", "API Gateway", "Lambda function", "DynamoDB"]) assert.ok(labels.includes(label), labels.join("|"));
  assert.equal(await page.getAttribute("pre.mermaid.mermaid-drawn", "role"), "img");
  const foreign = requests.filter((url) => !url.startsWith(env.site.url.replace(/\/$/, "")));
  assert.deepEqual(foreign, [], "nothing from elsewhere");
  assert.ok(requests.some((url) => url.includes("js/vendor/mermaid.js")));
  // A block Mermaid cannot read keeps its source and says why.
  const broken = page.locator("pre.mermaid.mermaid-failed");
  await broken.waitFor();
  assert.match(await broken.textContent(), /this is not mermaid/);
  assert.match(await broken.getAttribute("data-error"), /^Mermaid could not draw this diagram/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("pages without a mermaid block do not load Mermaid", async () => {
  const { page, requests } = await open("plain/");
  await page.waitForTimeout(300);
  assert.ok(!requests.some((url) => /mermaid/.test(url)), requests.join("\n"));
  await page.close();
});

test("the diagram follows the light and dark theme, and the theme toggle", async () => {
  const light = await open("flow/", { colorScheme: "light" });
  await light.page.locator("pre.mermaid.mermaid-drawn svg").first().waitFor();
  const lightFill = await nodeFill(light.page);
  const dark = await open("flow/", { colorScheme: "dark" });
  await dark.page.locator("pre.mermaid.mermaid-drawn svg").first().waitFor();
  const darkFill = await nodeFill(dark.page);
  assert.notEqual(lightFill, darkFill);
  // Switching the page's theme draws the diagram again in the other colours.
  await light.page.getByRole("button", { name: "Toggle dark mode" }).click();
  await light.page.waitForFunction((before) => {
    const shape = document.querySelector("pre.mermaid svg .node rect, pre.mermaid svg .node path");
    return shape && getComputedStyle(shape).fill !== before;
  }, lightFill);
  assert.equal(await nodeFill(light.page), darkFill);
  await light.page.close();
  await dark.page.close();
});
