// The header as readers use it: one sticky row with a Menu on a 390 px phone, and a wide
// header that keeps one row with many top-level sections.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { buildSite, launch, repo, serve } from "./harness.mjs";

let browser;
let demo;
let many;
let manyRoot;

/** A 1x1 PNG: the signature, then IHDR, IDAT and IEND. */
const pngBytes = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);

/** A site with 18 top-level sections with long-ish names. */
function manySections() {
  const root = mkdtempSync(join(tmpdir(), "awskb-header-"));
  const write = (path, text) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("awskb.toml", 'title = "Many sections"\n');
  mkdirSync(join(root, "static"), { recursive: true });
  write("content/_index.md", "---\ntitle: Home\n---\nHello.\n");
  for (let i = 1; i <= 18; i++) write(`content/s${i}/_index.md`, `---\ntitle: Section ${i}\nweight: ${i}\n---\nText.\n`);
  return root;
}

before(async () => {
  browser = await launch();
  demo = await serve(buildSite(repo));
  manyRoot = manySections();
  // A site's own icon replaces the theme's.
  writeFileSync(join(manyRoot, "static/favicon.png"), pngBytes);
  many = await serve(buildSite(manyRoot));
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await many?.close();
});

const box = (locator) => locator.evaluate((e) => e.getBoundingClientRect().toJSON());

for (const colorScheme of ["light", "dark"]) {
  test(`on a 390 px phone (${colorScheme}) the header is one sticky row, and Menu opens the sections`, async () => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(demo.url + "aws/lambda/");
    const header = page.getByRole("banner");
    const menu = page.getByRole("button", { name: "Menu" });
    const search = page.getByRole("searchbox", { name: "Search the site" });
    const toggle = page.getByRole("button", { name: "Toggle dark mode" });
    const brand = page.getByRole("link", { name: "AWS Knowledge Base" }).first();
    const headerBox = await box(header);
    assert.ok(headerBox.height <= 60, `header is ${headerBox.height} px high`);
    for (const control of [brand, menu, search, toggle]) {
      const b = await box(control);
      assert.ok(b.top >= headerBox.top && b.bottom <= headerBox.bottom && b.right <= 390, `${JSON.stringify(b)} in one row`);
    }
    assert.ok((await box(search)).width >= 120, "the search box is usable");
    const site = page.getByRole("navigation", { name: "Site" });
    assert.equal(await site.getByRole("link", { name: "Tags" }).isVisible(), false, "the menu starts closed");
    await page.mouse.wheel(0, 1500);
    await page.waitForFunction(() => scrollY > 1000);
    assert.equal((await box(header)).top, 0, "the header stays at the top while scrolling");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await menu.click();
    assert.equal(await site.getByRole("link", { name: "Tags" }).isVisible(), true);
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    await site.getByRole("link", { name: "Tags" }).click();
    await page.waitForURL(/\/tags\/$/);
    await context.close();
  });

  test(`on a 390 px phone (${colorScheme}) the Menu closes on Escape and on a tap outside it`, async () => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(demo.url + "aws/lambda/");
    const menu = page.getByRole("button", { name: "Menu" });
    const tags = page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Tags" });
    const focusedName = () => page.evaluate(() => document.activeElement.textContent.trim());

    // Keyboard: open, move into the links, Escape closes and puts the focus back on Menu.
    await menu.focus();
    await page.keyboard.press("Enter");
    assert.equal(await tags.isVisible(), true);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.closest("nav")?.getAttribute("aria-label")), "Site");
    await shot(page, `menu-open-${colorScheme}`);
    await page.keyboard.press("Escape");
    assert.equal(await tags.isVisible(), false);
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    assert.equal(await focusedName(), "Menu");
    await shot(page, `menu-closed-${colorScheme}`);

    // A tap outside (on the page's text below the open menu) closes it and follows nothing.
    await menu.tap();
    assert.equal(await tags.isVisible(), true);
    const url = page.url();
    const [x, y] = [195, 780];
    assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y).closest("a, button, header"), [x, y]), null);
    await page.touchscreen.tap(x, y);
    assert.equal(await tags.isVisible(), false);
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    assert.equal(page.url(), url);

    // A click outside does the same; a click inside the open menu keeps it open.
    await menu.click();
    await page.getByRole("navigation", { name: "Site" }).click({ position: { x: 380, y: 5 } });
    assert.equal(await tags.isVisible(), true);
    await page.mouse.click(x, y);
    assert.equal(await tags.isVisible(), false);
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await context.close();
  });
}

/** Saves a screenshot to $SCREENSHOTS, when set, to look at. */
async function shot(page, name) {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: join(process.env.SCREENSHOTS, `header-${name}.png`) });
}

test("a 1280 px header keeps one row with 18 top-level sections, each reachable by keyboard", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(many.url);
  const header = page.getByRole("banner");
  const before = await box(header);
  assert.ok(before.height <= 70, `header is ${before.height} px high`);
  const last = page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Section 18" });
  await last.focus();
  const b = await box(last);
  assert.ok(b.left >= 0 && b.right <= 1280 && b.top >= before.top && b.bottom <= before.bottom, `focused link in view: ${JSON.stringify(b)}`);
  assert.equal(await page.getByRole("searchbox", { name: "Search the site" }).isVisible(), true);
  assert.ok((await box(page.getByRole("button", { name: "Toggle dark mode" }))).right <= 1280);
  await context.close();
});

test("every page has an icon: the theme's by default, the site's static/favicon.* when it has one", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const missing = [];
  page.on("response", (r) => r.status() === 404 && missing.push(r.url()));
  for (const [url, type, name] of [[demo.url + "aws/lambda/", "image/svg+xml", "favicon.svg"], [many.url, "image/png", "favicon.png"]]) {
    await page.goto(url);
    const icon = page.locator('link[rel="icon"]');
    assert.equal(await icon.getAttribute("type"), type);
    const href = await icon.evaluate((l) => l.href);
    assert.equal(new URL(href).pathname.split("/").pop(), name);
    const response = await page.request.get(href);
    assert.equal(response.status(), 200);
    const body = await response.body();
    if (type === "image/png") assert.deepEqual(body, pngBytes);
    else assert.match(body.toString(), /^<svg /);
  }
  await page.waitForTimeout(300);
  assert.deepEqual(missing, [], "no request ends in 404 (browsers ask for /favicon.ico without an icon link)");
  await context.close();
});
