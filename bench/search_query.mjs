// What one search downloads: serves a built site, runs a query in headless Chromium and counts
// the bytes the server sends for it (everything, the Pagefind web worker's requests included).
// Prints JSON. Run by bench/search_bench.py; needs `npm ci` in tests/browser (playwright-core).
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

/** The files served since the last call: total bytes, and bytes by kind. */
function take() {
  const files = served;
  served = [];
  const kind = (path) =>
    /\/pagefind\/index\//.test(path) ? "index chunks"
      : /\/pagefind\/fragment\//.test(path) ? "fragments"
        : /\/pagefind\/filter\//.test(path) ? "filters"
          : /\/pagefind\//.test(path) ? "pagefind runtime"
            : "site";
  const byKind = {};
  for (const { path, bytes } of files) byKind[kind(path)] = (byKind[kind(path)] || 0) + bytes;
  return { files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0), byKind };
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

  // The header box on an ordinary page: the page itself, then what the first query adds, then
  // what a second query adds (the runtime is loaded by then).
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(site.url);
  await settle(page);
  result.ordinaryPage = take();
  await page.locator(".site-search-input").fill(query);
  await page.locator(".search-popup .search-quick").first().waitFor({ timeout: 60000 });
  await settle(page);
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
