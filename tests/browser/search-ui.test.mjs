// The search interface on the demo site: arrowing through the header box's results with the
// focus kept in the box, the "no results with these filters" state, and counts on filters.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildSite, launch, repo, serve } from "./harness.mjs";

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

test("arrow keys move through the header box's results while the focus stays in the box", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(site.url + "aws/");
    // A plain search box until the search script loads on first use; then a combobox.
    await page.getByRole("searchbox", { name: "Search the site" }).fill("lambda");
    const box = page.getByRole("combobox", { name: "Search the site" });
    const listbox = page.getByRole("listbox", { name: "Search results" });
    await listbox.getByRole("option").first().waitFor();
    const options = listbox.getByRole("option");
    assert.ok((await options.count()) >= 2, "several results");
    assert.equal(await box.getAttribute("aria-expanded"), "true");
    await box.press("ArrowDown");
    await box.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement.getAttribute("role"));
    assert.equal(focused, "combobox", "the focus stays in the box");
    const second = options.nth(1);
    assert.equal(await box.getAttribute("aria-activedescendant"), await second.getAttribute("id"));
    assert.equal(await second.getAttribute("aria-selected"), "true");
    const [highlighted, plain] = await Promise.all([
      second.evaluate((o) => getComputedStyle(o).backgroundColor),
      options.first().evaluate((o) => getComputedStyle(o).backgroundColor),
    ]);
    assert.notEqual(highlighted, plain, `${colorScheme}: the highlighted result stands out`);
    await box.press("ArrowUp");
    assert.equal(await box.getAttribute("aria-activedescendant"), await options.first().getAttribute("id"));
    await box.press("ArrowDown");
    const target = await second.evaluate((a) => a.href);
    await box.press("Enter");
    await page.waitForURL(target);
    await context.close();
  }
});

test("when the filters leave no results the page says so and clears them on request", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.url + "search/?q=lambda&tags=Storage&categories=Security");
  const status = page.getByRole("status").filter({ hasText: "No results" });
  await status.waitFor();
  assert.match(await status.textContent(), /No results for “lambda” with these filters\./);
  const clear = page.getByRole("button", { name: "Clear filters" });
  assert.equal(await clear.isVisible(), true);
  await clear.click();
  await page.locator(".search-result").first().waitFor();
  assert.equal(new URL(page.url()).search, "?q=lambda");
  assert.equal(await page.getByRole("checkbox", { checked: true }).count(), 0);
  assert.equal(await clear.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "_search-query");
  await context.close();
});

test("a filter that leaves results shows them without offering to clear it", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.url + "search/?q=lambda&tags=Serverless");
  await page.locator(".search-result").first().waitFor();
  const status = page.getByRole("status").filter({ hasText: "for “lambda”" });
  await status.waitFor();
  assert.doesNotMatch(await status.textContent(), /No results|with these filters/);
  assert.equal(await page.getByRole("button", { name: "Clear filters" }).isVisible(), false);
  await context.close();
});

test("each filter shows how many pages have its term", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.url + "tags/serverless/");
  const pages = await page.locator("main .cards > li").count();
  await page.goto(site.url + "search/");
  await page.locator("summary", { hasText: "Tags" }).click();
  const checkbox = page.getByRole("checkbox", { name: `Serverless ${pages}` });
  assert.equal(await checkbox.isVisible(), true, `the Serverless filter reads "Serverless ${pages}"`);
  await context.close();
});
