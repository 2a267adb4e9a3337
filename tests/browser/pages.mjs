// What the diagram, runner, editor and Mermaid tests share: one built site and one browser per
// test file, pages that record their requests and script errors, and typing a definition into
// the playground's editor.
import { after, before } from "node:test";
import { buildSite, launch, serve } from "./harness.mjs";

/** Builds and serves the site at `root` and starts Chromium before the file's first test;
    `env.site` and `env.browser` are set from then on. */
export function siteAndBrowser(root) {
  const env = {};
  before(async () => {
    env.site = await serve(buildSite(root));
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

/** `path` of the site in a new page (`options` as for `browser.newPage`), with the URLs it
    requested and the script errors it threw. */
export async function openPage(env, path, options = {}) {
  const page = await env.browser.newPage(options);
  const requests = [];
  const errors = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(env.site.url + path, { waitUntil: "load" });
  return { page, requests, errors };
}

/** Replaces the playground's definition as a reader would: select all in the editor, type. */
export async function setDefinition(page, text) {
  await page.locator(".asl-editor .cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** The data flow a run panel in `scope` shows: each field's name (TestState's, as the reader
    sees it) and its value (also where it is folded under "same as …"). */
export async function flowFields(scope) {
  const pairs = await scope.locator(".asl-flow dl").evaluate((list) =>
    [...list.querySelectorAll("dt")].map((dt) => [
      dt.querySelector("code").innerText,
      dt.nextElementSibling.querySelector("pre, p").textContent,
    ]));
  return Object.fromEntries(pairs);
}
