// A site with many top-level sections, as notes repositories have (7 to 18): the header stays
// usable at 1280 px and on a phone, with the search box and the theme toggle in view.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildSite, launch, serve } from "./harness.mjs";

const sections = [
  "Analytics", "Certifications", "Compute", "Containers", "Database", "Developer Tools",
  "Fundamentals", "Governance", "Identity", "Machine Learning", "Messages and Logs", "Migration",
  "Monitoring", "Network", "Security", "Serverless", "Storage", "Zebra Last",
];

let browser;
let site;

before(async () => {
  const root = mkdtempSync(join(tmpdir(), "awskb-many-sections-"));
  writeFileSync(join(root, "awskb.toml"), 'title = "AWS Solutions Architect Associate notes"\n');
  for (const name of sections) {
    const dir = join(root, "content", name.replaceAll(" ", "-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "_index.md"), `---\ntitle: ${name}\n---\n`);
    writeFileSync(join(dir, "notes.md"), `# ${name} notes\n\nText.\n`);
  }
  browser = await launch();
  site = await serve(buildSite(root));
});

after(async () => {
  await browser?.close();
  await site?.close();
});

for (const [label, viewport] of [
  ["at 1280 px", { width: 1280, height: 800 }],
  ["on a phone", { width: 390, height: 800 }],
]) {
  test(`with 18 sections the header keeps search and the theme toggle in view ${label}`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(site.url + "Network/notes/");
    const inView = async (locator) => {
      const box = await locator.boundingBox();
      return box && box.x >= 0 && box.x + box.width <= viewport.width && box.y >= 0;
    };
    const search = page.getByRole("searchbox", { name: "Search the site" });
    const toggle = page.getByRole("button", { name: "Toggle dark mode" });
    assert.ok(await inView(search), "the search box is in view");
    assert.ok(await inView(toggle), "the theme toggle is in view");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (by ${overflow} px)`);
    // The last section is reached by scrolling the row of links, not the page.
    const nav = page.getByRole("navigation", { name: "Site" });
    const last = nav.getByRole("link", { name: "Zebra Last" });
    await last.scrollIntoViewIfNeeded();
    assert.ok(await inView(last), "the last section can be scrolled into view");
    assert.ok(await inView(search), "the search box stays in view");
    await last.click();
    await page.waitForURL(/Zebra-Last\/$/);
    await context.close();
  });
}
