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

const currentTocEntry = (page) =>
  page.evaluate(() => document.querySelector('nav.toc a[aria-current="true"]')?.textContent.trim() ?? null);

test("following each TOC link marks exactly that entry; the end of the page marks the last", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url + "aws/step-functions/");
  const toc = page.getByRole("navigation", { name: "On this page" });
  const names = (await toc.getByRole("link").allTextContents()).map((t) => t.trim());
  assert.ok(names.length > 5, `a long TOC: ${names}`);
  for (const name of [...names.slice(1), names[0], ...names.slice(1)]) {
    await toc.getByRole("link", { name, exact: true }).click();
    await page.waitForFunction((want) => document.querySelector('nav.toc a[aria-current="true"]')?.textContent.trim() === want, name, { timeout: 3000 })
      .catch(async () => assert.fail(`after following "${name}" the TOC marks "${await currentTocEntry(page)}"`));
  }
  // Scrolled to the end by hand, with no fragment in the address.
  await page.evaluate(() => history.replaceState(null, "", location.pathname));
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  await page.waitForFunction(() => scrollY < 20);
  await page.mouse.move(700, 450);
  await page.mouse.wheel(0, 20000);
  await page.waitForFunction((want) => document.querySelector('nav.toc a[aria-current="true"]')?.textContent.trim() === want, names.at(-1), { timeout: 3000 })
    .catch(async () => assert.fail(`at the end the TOC marks "${await currentTocEntry(page)}", not "${names.at(-1)}"`));
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

test("Next leads through every page of the site once, section pages included, and Previous back", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url);
  const pager = page.getByRole("navigation", { name: "Previous and next" });
  const follow = async (name) => {
    const from = page.url();
    await pager.getByRole("link", { name }).click();
    await page.waitForURL((url) => url.href !== from);
    await page.waitForLoadState();
    return (await page.locator("main h1").first().textContent()).trim();
  };
  const seen = [(await page.locator("main h1").first().textContent()).trim()];
  while (await pager.getByRole("link", { name: /Next/ }).count()) {
    seen.push(await follow(/Next/));
    assert.ok(seen.length < 50, "the chain ends");
  }
  assert.equal(new Set(seen).size, seen.length, `no page twice: ${seen}`);
  for (const title of ["AWS Services", "Step Functions", "Introduction to AWS Step Functions", "IAM", "Lambda", "EventBridge"]) {
    assert.ok(seen.includes(title), `${title} is on the path ${seen}`);
  }
  assert.equal(seen.length, 10, "every page of the demo site");
  const back = [];
  while (await pager.getByRole("link", { name: /Previous/ }).count()) {
    back.push(await follow(/Previous/));
  }
  assert.deepEqual(back, seen.slice(0, -1).reverse());
  await context.close();
});

test("the sidebar shows the section tree, the current branch open, the others opened by keyboard", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url + "aws/lambda/");
  const sidebar = page.getByRole("navigation", { name: "Sections" });
  const current = sidebar.getByRole("link", { name: "Lambda", exact: true });
  assert.equal(await current.getAttribute("aria-current"), "page");
  assert.equal(await current.isVisible(), true, "the current branch is open");
  // A closed branch lists its section page and says how many pages that page lists.
  const other = sidebar.getByRole("link", { name: "1 page in Step Functions" });
  assert.equal(await other.isVisible(), false, "another branch starts closed");
  const branch = sidebar.locator("summary", { hasText: "Step Functions" });
  await branch.focus();
  await page.keyboard.press("Enter");
  assert.equal(await other.isVisible(), true, "Enter opens it");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "1 page in Step Functions");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/step-functions\/$/);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Introduction to AWS Step Functions" }).click();
  await page.waitForURL(/introduction-aws-step-functions/);
  const opened = page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Introduction to AWS Step Functions" });
  assert.equal(await opened.getAttribute("aria-current"), "page");
  assert.equal(await opened.isVisible(), true);
  await context.close();
});

test('terms are labelled "Tags:" and "Categories:", and taxonomy pages mark their header entry and share the breadcrumb root', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url + "aws/lambda/");
  for (const [label, term] of [["Tags", "Serverless"], ["Categories", "Compute"]]) {
    await assert.doesNotReject(page.getByText(`${label}:`, { exact: true }).waitFor({ state: "visible", timeout: 2000 }), `${label}: shows`);
    const list = page.getByRole("list", { name: `${label}:` });
    assert.ok((await list.getByRole("link").allTextContents()).includes(term), `${term} under ${label}`);
  }
  const root = async () => (await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link").first().textContent()).trim();
  const pageRoot = await root();
  await page.goto(site.url + "tags/serverless/");
  assert.equal(await root(), pageRoot, "one name for the breadcrumb root");
  const header = page.getByRole("navigation", { name: "Site" });
  assert.equal(await header.getByRole("link", { name: "Tags" }).getAttribute("aria-current"), "true");
  assert.equal(await header.getByRole("link", { name: "Categories" }).getAttribute("aria-current"), null);
  const tagsLink = header.getByRole("link", { name: "Tags" });
  const [active, plain] = await Promise.all([
    tagsLink.evaluate((a) => getComputedStyle(a).color),
    header.getByRole("link", { name: "Categories" }).evaluate((a) => getComputedStyle(a).color),
  ]);
  assert.notEqual(active, plain, "the active entry looks different");
  await page.goto(site.url + "categories/");
  assert.equal(await header.getByRole("link", { name: "Categories" }).getAttribute("aria-current"), "true");
  await context.close();
});
