// Search in a real browser: the header box, the /search/ page (query and filters in the
// address), sub-results that land on their heading, a site under a sub-path, no JavaScript,
// and the light and dark schemes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { buildSite, launch, serve } from "./harness.mjs";

// Enough text before each heading that following a result has to scroll.
const filler = Array.from({ length: 12 }, (_, i) =>
  `Paragraph ${i + 1} talks about accounts, regions and quotas in general terms so the page is long.`
).join("\n\n");

const pages = {
  "awskb.toml": 'title = "Search fixture"\n',
  "content/_index.md": "---\ntitle: Home\n---\nWelcome to the notes.\n",
  "content/aws/_index.md": "---\ntitle: AWS\n---\n",
  "content/aws/lambda.md": `---
title: Lambda
tags: [Serverless, Compute]
categories: [Compute]
---
Functions without servers.

${filler}

## Cold starts

A cold start adds latency unless provisioned concurrency keeps instances warm.

${filler}

## Timeouts

The maximum timeout is fifteen minutes.
`,
  "content/aws/step-functions.md": `---
title: Step Functions
tags: [Serverless, Orchestration]
categories: [Application Integration]
---
Workflows of states.

## Retries

Retry with exponential backoff; every attempt adds latency.
`,
  "content/aws/glacier.md": `---
title: Glacier
---
Retrieval of archived objects takes hours, unlike SQS. The café's résumé is archived too.
`,
  "content/aws/sqs.md": `---
title: SQS
tags: [Messaging]
categories: [Application Integration]
---
Queues decouple producers from consumers; long polling lowers latency and cost.
`,
};

let browser;
let root;
let subpath;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "awskb-search-site-"));
  for (const [rel, text] of Object.entries(pages)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  browser = await launch();
  root = await serve(buildSite(dir));
  subpath = await serve(buildSite(dir, ["--base-url", "/kb/"]), "/kb/");
});

after(async () => {
  await browser?.close();
  await root?.close();
  await subpath?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A new page that records script errors and failed requests (the favicon aside). */
async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/favicon/.test(message.location().url)) problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) problems.push(`${response.status()} ${response.url()}`);
  });
  return { context, page, problems };
}

/** Waits until the page has scrolled down to the heading with `id` (smooth scrolling takes a
    moment), so that it is in the window. */
function scrolledTo(page, id) {
  return page.waitForFunction((id) => {
    const heading = document.getElementById(id);
    if (!heading || window.scrollY === 0) return false;
    const box = heading.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }, id, { timeout: 5000 });
}

for (const [name, site] of [["at the root", () => root], ["under /kb/", () => subpath]]) {
  test(`header box ${name}: "/" focuses it, results highlight the words and lead to the heading`, async () => {
    const { context, page, problems } = await openPage();
    await page.goto(site().url + "aws/sqs/");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.className), "site-search-input");
    await page.keyboard.type("provisioned");
    // The first key shows results at once (for "p"); wait for the results of the whole word.
    await page.waitForFunction(() =>
      (document.querySelector(".search-popup-all") || {}).textContent === "All results for “provisioned”");
    const result = page.locator(".search-popup .search-quick").first();
    await result.waitFor();
    assert.equal(await result.locator(".search-quick-title").textContent(), "LambdaCold starts");
    assert.equal(await result.locator(".search-quick-heading").textContent(), "Cold starts");
    assert.equal((await result.locator(".search-excerpt mark").first().textContent()).toLowerCase(), "provisioned");
    const all = page.locator(".search-popup-all");
    assert.equal(new URL(await all.getAttribute("href")).pathname + new URL(await all.getAttribute("href")).search,
      new URL(site().url).pathname + "search/?q=provisioned");
    await result.click();
    await page.waitForURL(/#cold-starts$/);
    assert.equal(new URL(page.url()).pathname, new URL(site().url).pathname + "aws/lambda/");
    assert.equal(await page.evaluate(() => location.hash), "#cold-starts");
    await scrolledTo(page, "cold-starts");
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`search page ${name}: a sub-result lands on its heading`, async () => {
    const { context, page, problems } = await openPage();
    await page.goto(site().url + "search/?q=fifteen");
    const result = page.locator(".search-result").first();
    await result.waitFor();
    assert.equal(await result.locator(".search-result-title").textContent(), "Lambda");
    assert.equal(await result.locator(".search-section").textContent(), "AWS");
    const heading = result.locator(".search-heading");
    assert.deepEqual(await heading.allTextContents(), ["Timeouts"]);
    assert.equal(await result.locator(".search-headings mark").first().textContent(), "fifteen");
    await heading.click();
    await page.waitForURL(/#timeouts$/);
    assert.equal(await page.evaluate(() => location.hash), "#timeouts");
    await scrolledTo(page, "timeouts");
    assert.deepEqual(problems, []);
    await context.close();
  });
}

const titles = (page) => page.locator(".search-result-title").allTextContents();

test("the search page takes its query and filters from the address and keeps them there", async () => {
  const { context, page, problems } = await openPage();
  await page.goto(root.url + "search/?q=latency");
  await page.locator(".search-status").filter({ hasText: "3 results" }).waitFor();
  assert.equal(await page.inputValue("#_search-query"), "latency");
  assert.deepEqual((await titles(page)).sort(), ["Lambda", "SQS", "Step Functions"]);

  await page.locator(".search-filter[data-filter=tags] summary").click();
  await page.locator("label.search-term", { hasText: "Serverless" }).click();
  await page.locator(".search-status").filter({ hasText: "2 results" }).waitFor();
  assert.deepEqual((await titles(page)).sort(), ["Lambda", "Step Functions"]);
  assert.equal(new URL(page.url()).search, "?q=latency&tags=Serverless");

  await page.locator("label.search-term", { hasText: "Messaging" }).click();
  await page.locator(".search-status").filter({ hasText: "3 results" }).waitFor();
  assert.equal(new URL(page.url()).search, "?q=latency&tags=Messaging&tags=Serverless", "terms of one taxonomy add up");

  // A shared address opens the same search, with the filters ticked.
  await page.goto(root.url + "search/?tags=Serverless&categories=Application+Integration");
  await page.locator(".search-result").first().waitFor();
  assert.deepEqual(await titles(page), ["Step Functions"], "filters of different taxonomies narrow down, even without a query");
  assert.equal(await page.locator("input[name=categories][value='Application Integration']").isChecked(), true);
  assert.equal(await page.locator(".search-filter[data-filter=categories]").evaluate((d) => d.open), true);

  await page.fill("#_search-query", "zebra");
  await page.locator(".search-status").filter({ hasText: "No results" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("words match exactly, by stem below that, by prefix while typing, and without accents", async () => {
  const { context, page, problems } = await openPage();
  await page.goto(root.url + "search/?q=retry");
  await page.locator(".search-status").filter({ hasText: "for “retry”" }).waitFor();
  assert.deepEqual(await titles(page), ["Step Functions"], "retry finds Retries (same stem), not Retrieval");
  assert.deepEqual(await page.locator(".search-heading").allTextContents(), ["Retries"], "the heading with the other form");
  assert.deepEqual(await page.locator(".search-result mark").allTextContents(), ["Retry"]);

  // While typing, the last word matches as a prefix: "retr" is on its way to both.
  await page.goto(root.url + "aws/sqs/");
  await page.locator(".site-search-input").click();
  await page.keyboard.type("retr");
  await page.locator(".search-popup-status").filter({ hasText: "2 results" }).waitFor();
  assert.deepEqual((await page.locator(".search-quick-title").allTextContents()).map((t) => t.replace("Retries", "")).sort(),
    ["Glacier", "Step Functions"]);

  await page.goto(root.url + "search/?q=resume+cafe");
  await page.locator(".search-status").filter({ hasText: "1 result for" }).waitFor();
  assert.deepEqual(await titles(page), ["Glacier"]);
  assert.deepEqual(await page.locator(".search-result mark").allTextContents(), ["café's", "résumé"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a form of a word the site does not have finds its other forms (the client stems English)", async () => {
  const { context, page, problems } = await openPage();
  await page.goto(root.url + "search/?q=retrying");
  await page.locator(".search-status").filter({ hasText: "1 result for “retrying”" }).waitFor();
  assert.deepEqual(await titles(page), ["Step Functions"], "retrying finds Retries and Retry");
  assert.deepEqual(await page.locator(".search-result mark").allTextContents(), ["Retry"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the client stems every word of the crate's list as the index does", async () => {
  const { context, page } = await openPage();
  await page.goto(root.url + "search/");
  await page.waitForFunction(() => window.awskbSearch && window.awskbSearch.stem);
  const fixture = readFileSync(new URL("../../crates/search-index/tests/english-stems.txt", import.meta.url), "utf8");
  const pairs = fixture.split("\n").filter(Boolean).map((line) => line.split(" "));
  assert.ok(pairs.length > 1000);
  const stems = await page.evaluate((words) => words.map(window.awskbSearch.stem), pairs.map(([word]) => word));
  const wrong = pairs.map(([word, stem], i) => [word, stem, stems[i]])
    .filter(([, stem, client]) => client !== stem)
    .map(([word, stem, client]) => `${word}: index ${stem}, client ${client}`);
  assert.deepEqual(wrong, []);
  await context.close();
});

test("results keep up with typing: a search that ends after the next key still shows", async () => {
  const { context, page, problems } = await openPage();
  await page.goto(root.url + "aws/sqs/");
  // Every word chunk waits until both keys are typed, so the first key's search ends after
  // the second key's has started.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route("**/search-index/w/**", async (route) => {
    await held;
    await route.continue();
  });
  await page.evaluate(() => {
    window.shownLinks = [];
    new MutationObserver((records) => {
      // Each text the link was given (a later one may have replaced it before this runs).
      for (const record of records) {
        if (!record.target.matches?.(".search-popup-all")) continue;
        for (const node of record.addedNodes) window.shownLinks.push(node.data);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const chunkAsked = page.waitForRequest("**/search-index/w/**");
  await page.locator(".site-search-input").click();
  await page.keyboard.type("l");
  await chunkAsked;
  await page.keyboard.type("a");
  await page.waitForTimeout(300); // the second search starts after a 60 ms pause in typing
  release();
  await page.locator(".search-popup-all").filter({ hasText: "All results for “la”" }).waitFor();
  const shown = await page.evaluate(() => window.shownLinks);
  assert.deepEqual(shown, ["All results for “l”", "All results for “la”"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the page titled with the word ranks above a page that mentions it", async () => {
  const { context, page } = await openPage();
  await page.goto(root.url + "search/?q=sqs");
  await page.locator(".search-status").filter({ hasText: "2 results" }).waitFor();
  assert.deepEqual(await titles(page), ["SQS", "Glacier"]);
  await context.close();
});

test("the header box sends Enter to the search page", async () => {
  const { context, page } = await openPage();
  await page.goto(root.url);
  await page.fill(".site-search-input", "queues");
  await page.press(".site-search-input", "Enter");
  await page.waitForURL(/\/search\/\?q=queues$/);
  await page.locator(".search-result").first().waitFor();
  assert.deepEqual(await titles(page), ["SQS"]);
  await context.close();
});

test('"/" is typed, not a shortcut, while writing in a field', async () => {
  const { context, page } = await openPage();
  await page.goto(root.url + "search/");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "_search-query", "on the search page, its own field");
  await page.keyboard.type("a/b");
  assert.equal(await page.inputValue("#_search-query"), "a/b");
  await context.close();
});

test("without JavaScript the search page says that search needs it", async () => {
  const { context, page } = await openPage({ javaScriptEnabled: false });
  await page.goto(root.url + "search/?q=latency");
  const message = page.locator(".search-noscript");
  assert.equal(await message.isVisible(), true);
  assert.match(await message.textContent(), /Search needs JavaScript/);
  await context.close();
});

test("search looks right in light and dark, with no errors", async () => {
  const backgrounds = [];
  for (const colorScheme of ["light", "dark"]) {
    const { context, page, problems } = await openPage({ colorScheme });
    await page.goto(root.url + "search/?q=latency");
    await page.locator(".search-result").first().waitFor();
    const mark = page.locator(".search-result mark").first();
    const [markBackground, pageBackground] = await mark.evaluate((m) => [
      getComputedStyle(m).backgroundColor,
      getComputedStyle(document.body).backgroundColor,
    ]);
    assert.notEqual(markBackground, pageBackground, `${colorScheme}: matches stand out`);
    backgrounds.push(pageBackground);
    await page.fill(".site-search-input", "queues");
    await page.locator(".search-popup .search-quick").first().waitFor();
    const popup = await page.locator(".search-popup").evaluate((p) => getComputedStyle(p).backgroundColor);
    assert.equal(popup, pageBackground, `${colorScheme}: the results box uses the theme's background`);
    assert.deepEqual(problems, [], colorScheme);
    await context.close();
  }
  assert.notEqual(backgrounds[0], backgrounds[1]);
});
