// Shared by the browser tests: build a site with the awskb binary, serve it over HTTP on
// 127.0.0.1 (optionally under a sub-path), and start headless Chromium.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The awskb binary: $AWSKB_BIN, else the debug build in target/. */
export function awskbBinary() {
  return process.env.AWSKB_BIN || join(repo, "target/debug/awskb");
}

/** Builds the site at `root` into a new temporary folder and returns that folder. */
export function buildSite(root, args = []) {
  const out = join(mkdtempSync(join(tmpdir(), "awskb-browser-")), "public");
  execFileSync(awskbBinary(), ["build", "-r", root, "-o", out, ...args], { stdio: "pipe" });
  return out;
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain",
  ".wasm": "application/wasm",
};

/** Serves `dir` under `prefix` (e.g. "/kb/") on a free port; resolves to { url, close }.
    `onServe(path, bytes)` is told the size of every file served (the benchmarks count what a
    search downloads). */
export function serve(dir, prefix = "/", { onServe } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      onServe?.(path, body.length);
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404, { "content-type": types[".html"] }).end(readFileSync(join(dir, "404.html")));
    }
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** Headless Chromium from the Debian package. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Writes `files` ({ relative path: text }) into a new temporary folder and returns it. */
export function writeSite(files) {
  const dir = mkdtempSync(join(tmpdir(), "awskb-site-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** A new page in its own context that records script errors and failed requests (the
    favicon aside) in `problems`. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) problems.push(`${response.status()} ${response.url()}`);
  });
  return { context, page, problems };
}
