// `awskb serve` in a real browser: a page reloads after an edit and keeps its place, errors show
// as an overlay until fixed, and a stylesheet change is swapped in without a reload.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { awskbBinary, launch, repo } from "./harness.mjs";

let browser;
let server;
let url;
let site;

const PAGE = "content/misc/long.md";
const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of a long page.`).join("\n\n");
const longPage = (title, first) => `---\ntitle: ${title}\n---\n\n${first}\n\n${paragraphs}\n`;

before(async () => {
  site = join(mkdtempSync(join(tmpdir(), "awskb-serve-")), "site");
  cpSync(join(repo, "tests/fixtures/kb"), site, { recursive: true });
  writeFileSync(join(site, PAGE), longPage("Long", "The first version."));
  server = spawn(awskbBinary(), ["serve", "-p", "0", "-r", site], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: server.stdout });
  url = await new Promise((ok, fail) => {
    lines.once("line", (line) => {
      const found = line.match(/http:\/\/127\.0\.0\.1:\d+\//);
      found ? ok(found[0]) : fail(new Error(`no address in ${line}`));
    });
    server.once("exit", (code) => fail(new Error(`awskb serve exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("an edit reloads the page where the reader was", async () => {
  const page = await browser.newPage();
  await page.goto(url + "misc/long/");
  await page.evaluate(() => {
    scrollTo({ top: 900, behavior: "instant" });
    window.beforeReload = true;
  });
  writeFileSync(join(site, PAGE), longPage("Long", "The second version."));
  await page.waitForFunction(() => !window.beforeReload && document.body.innerText.includes("The second version."), null, { timeout: 15000 });
  await page.waitForFunction(() => Math.abs(scrollY - 900) < 5, null, { timeout: 5000 });
  await page.close();
});

test("an error shows over the page until it is fixed", async () => {
  const page = await browser.newPage();
  await page.goto(url + "misc/long/");
  const other = await browser.newPage();
  await other.goto(url);
  writeFileSync(join(site, PAGE), "---\ntitle: [Long\n---\n\nBroken.\n");
  for (const open of [page, other]) {
    await open.waitForSelector("awskb-problems", { state: "attached", timeout: 15000 });
    const text = await open.evaluate(() => document.querySelector("awskb-problems").shadowRoot.textContent);
    assert.match(text, /content\/misc\/long\.md:\d+:\d+/);
    assert.match(text, /error\[front-matter\]/);
  }
  // The last good version is still what the page shows.
  assert.match(await page.evaluate(() => document.body.innerText), /The second version\./);
  writeFileSync(join(site, PAGE), longPage("Long", "The fixed version."));
  for (const open of [page, other]) {
    await open.waitForSelector("awskb-problems", { state: "detached", timeout: 15000 });
  }
  await page.waitForFunction(() => document.body.innerText.includes("The fixed version."), null, { timeout: 15000 });
  await page.close();
  await other.close();
});

test("a stylesheet change is swapped in without a reload", async () => {
  const page = await browser.newPage();
  await page.goto(url + "misc/long/");
  await page.evaluate(() => { window.beforeSwap = true; });
  const theme = readFileSync(join(repo, "static/css/style.css"), "utf8");
  mkdirSync(join(site, "static/css"), { recursive: true });
  writeFileSync(join(site, "static/css/style.css"), theme + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.beforeSwap), true, "the page was not reloaded");
  await page.close();
});
