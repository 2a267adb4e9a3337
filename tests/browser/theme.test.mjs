// The built-in theme in a real browser: theme toggle, copy buttons, answer blocks, TOC
// highlighting, and a site hosted under a sub-path.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildSite, launch, repo, serve } from "./harness.mjs";

let browser;
let site;
let subpath;

before(async () => {
  browser = await launch();
  site = await serve(buildSite(repo));
  subpath = await serve(buildSite(repo, ["--base-url", "https://example.org/kb/"]), "/kb/");
});

after(async () => {
  await browser?.close();
  await site?.close();
  await subpath?.close();
});

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test("the theme toggle switches to dark, and the choice survives a reload", async () => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(site.url + "aws/step-functions/");
  const toggle = page.locator(".theme-toggle");
  await assert.doesNotReject(toggle.waitFor({ state: "visible" }), "the toggle shows when JavaScript runs");
  const light = await background(page);
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  const dark = await background(page);
  assert.notEqual(dark, light, "the page colours change");
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await background(page), dark);
  await context.close();
});

test("dark mode follows the system when nothing was chosen", async () => {
  const light = await browser.newContext({ colorScheme: "light" });
  const dark = await browser.newContext({ colorScheme: "dark" });
  const [a, b] = [await light.newPage(), await dark.newPage()];
  await a.goto(site.url);
  await b.goto(site.url);
  assert.notEqual(await background(a), await background(b));
  await light.close();
  await dark.close();
});

test("a copy button copies the code of its block", async () => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(site.url).origin });
  const page = await context.newPage();
  await page.goto(site.url + "aws/lambda/");
  const block = page.locator("pre.highlight").first();
  const code = (await block.locator("code").textContent()).replace(/\n$/, "");
  await block.locator(".copy-button").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  assert.equal(await block.locator(".copy-button").textContent(), "Copied");
  await context.close();
});

test("answer blocks open and close, also without JavaScript", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(site.url + "aws/step-functions/");
    const answer = page.locator(".content details").first();
    assert.equal(await answer.evaluate((d) => d.open), false, "answers start closed");
    assert.equal(await answer.locator("mark").isVisible(), false);
    await answer.locator("summary").click();
    assert.equal(await answer.evaluate((d) => d.open), true);
    assert.equal(await answer.locator("mark").isVisible(), true, "the answer shows when opened");
    await context.close();
  }
});

test("following a TOC link marks that entry as current", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url + "aws/step-functions/");
  await page.locator('nav.toc a[href="#questions"]').click();
  await page.waitForFunction(() => document.querySelector('nav.toc a[aria-current="true"]')?.getAttribute("href") === "#questions");
  await context.close();
});

test("under a sub-path every asset and link works", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const failed = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(response.url());
  });
  await page.goto(subpath.url + "aws/step-functions/");
  assert.deepEqual(failed, [], "no asset is missing");
  const sheets = await page.evaluate(() => Array.from(document.styleSheets).filter((s) => s.cssRules.length > 0).length);
  assert.ok(sheets >= 2, "theme and highlighting stylesheets load");
  await page.locator(".content a", { hasText: "AWS lambda" }).click();
  await page.waitForURL(subpath.url + "aws/lambda/");
  assert.equal(await page.locator("h1").textContent(), "Lambda");
  assert.deepEqual(failed, []);
  await context.close();
});
