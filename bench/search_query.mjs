// What one search costs a reader: serves a built site, runs queries in headless Chromium and
// counts the files the server sends for each, and times the header box from the first key to
// the first result shown. Prints JSON. Run by bench/search_bench.py; needs `npm ci` in
// tests/browser (playwright-core).
//
//   node bench/search_query.mjs OUTPUT_DIR [QUERY] [SECOND_QUERY]
import { launch, serve } from "../tests/browser/harness.mjs";

const [dir, query = "lambda", second = "quota"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node bench/search_query.mjs OUTPUT_DIR [QUERY] [SECOND_QUERY]");
  process.exit(2);
}

let served = [];
const site = await serve(dir, "/", { onServe: (path, bytes) => served.push({ path, bytes }) });
const browser = await launch();

/** The kind of a served file. */
function kind(path) {
  return /\/search-index\/w\//.test(path) ? "word chunks"
    : /\/search-index\/p\//.test(path) ? "records"
      : /\/search-index\/f\//.test(path) ? "filters"
        : /\/search-index\//.test(path) ? "meta"
          : /\/js\/search\.js$/.test(path) ? "client"
            : "site";
}

/** The files served since the last call: total bytes, bytes by kind, and the paths. */
function take() {
  const files = served;
  served = [];
  const byKind = {};
  for (const { path, bytes } of files) byKind[kind(path)] = (byKind[kind(path)] || 0) + bytes;
  return {
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    byKind,
    paths: files.map((f) => f.path),
  };
}

async function settle(page) {
  await page.waitForLoadState("networkidle");
}

const result = { query, second };
try {
  // The search page opened from a shared address: everything it loads for the first 10 results.
  let context = await browser.newContext();
  let page = await context.newPage();
  take();
  await page.goto(`${site.url}search/?q=${encodeURIComponent(query)}`);
  await page.locator(".search-result").first().waitFor({ timeout: 60000 });
  await settle(page);
  result.results = Number((await page.locator(".search-status").textContent()).match(/[\d,]+/)[0].replace(/,/g, ""));
  result.searchPage = take();
  await context.close();

  // The header box on an ordinary page: the reader clicks it and types the query at 80 ms a
  // key. Timed in the page, from the first key down to the first result in the box.
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(site.url);
  await settle(page);
  result.ordinaryPage = take();
  await page.evaluate(() => {
    window.benchFirstKey = null;
    window.benchFirstResult = null;
    addEventListener("keydown", () => { window.benchFirstKey ??= performance.now(); }, true);
    new MutationObserver(() => {
      if (window.benchFirstResult === null && document.querySelector(".search-popup .search-quick")) {
        window.benchFirstResult = performance.now();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.locator(".site-search-input").click();
  await page.keyboard.type(query, { delay: 80 });
  await page.locator(".search-popup .search-quick").first().waitFor({ timeout: 60000 });
  await page.waitForFunction((q) => document.querySelector(".search-popup-all")?.href.endsWith("?" + new URLSearchParams({ q })), query);
  await settle(page);
  result.firstKeyToResultMs = Math.round(await page.evaluate(() => window.benchFirstResult - window.benchFirstKey));
  result.headerFirstQuery = take();
  await page.locator(".site-search-input").fill(second);
  await page.waitForFunction(
    (q) => document.querySelector(".search-popup-all")?.href.endsWith("?" + new URLSearchParams({ q })),
    second,
    { timeout: 60000 },
  );
  await settle(page);
  result.headerSecondQuery = take();
  await context.close();
} finally {
  await browser.close();
  await site.close();
}
console.log(JSON.stringify(result));
