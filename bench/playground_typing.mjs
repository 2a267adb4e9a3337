// The playground while a reader pastes and types into a large definition: the longest task on
// the page's main thread (what makes typing stutter; the engine's checking and drawing run in a
// Web Worker) and how long after the last keystroke the diagram is redrawn. Medians of 5 runs.
//
//   cargo build && (cd tests/browser && npm ci) && node bench/playground_typing.mjs [STATES]
import { buildSite, launch, repo, serve } from "../tests/browser/harness.mjs";

const count = Number(process.argv[2] || 61);

/** A chain of Tasks with Retry and Catch, a Choice every seventh state, a Map every tenth. */
function definition(n) {
  const states = {};
  for (let i = 0; i < n - 1; i++) {
    const name = `Step${i}`;
    const next = `Step${i + 1}`;
    if (i % 7 === 6) {
      states[name] = { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: i, Next: next }], Default: "Done" };
    } else if (i % 10 === 9) {
      states[name] = {
        Type: "Map", ItemsPath: "$.items", Next: next,
        ItemProcessor: { StartAt: `Item${i}`, States: { [`Item${i}`]: { Type: "Pass", End: true } } },
      };
    } else {
      states[name] = {
        Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: next,
        Retry: [{ ErrorEquals: ["Busy"], MaxAttempts: 2 }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }],
      };
    }
  }
  states[`Step${n - 1}`] = { Type: "Pass", Next: "Done" };
  states.Done = { Type: "Succeed" };
  return JSON.stringify({ Comment: "Generated", StartAt: "Step0", States: states }, null, 2);
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const site = await serve(buildSite(repo));
const browser = await launch();
const runs = [];
for (let run = 0; run < 5; run++) {
  const page = await browser.newPage();
  await page.goto(site.url + "playground/", { waitUntil: "load" });
  await page.waitForSelector(".asl-editor .cm-content");
  await page.waitForSelector(".asl-canvas svg");
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push(e.duration)))
      .observe({ type: "longtask" });
  });
  await page.locator(".asl-editor .cm-content").click();
  await page.keyboard.press("Control+A");
  // A paste, as the clipboard delivers it (keyboard.insertText would go through the browser's
  // own contenteditable editing, far slower than any paste).
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, definition(count));
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Done"]');
  const paste = await page.evaluate(() => window.longTasks.splice(0));
  // Type into the Comment, a key every 60 ms, as a quick typist does.
  await page.evaluate(() => {
    const view = window.awskbCodeMirror.EditorView.findFromDOM(document.querySelector(".cm-editor"));
    const at = view.state.doc.toString().indexOf("Generated") + "Generated".length;
    view.dispatch({ selection: { anchor: at } });
    view.focus();
  });
  await page.keyboard.type(" by the benchmark, typed key by key", { delay: 60 });
  const typed = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => document.querySelector(".asl-canvas svg title").textContent.includes("key by key"));
  const redraw = (await page.evaluate(() => performance.now())) - typed;
  const typing = await page.evaluate(() => window.longTasks.splice(0));
  runs.push({ paste: Math.max(0, ...paste), typing: Math.max(0, ...typing), over50: typing.length, redraw });
  await page.close();
}
await browser.close();
await site.close();
console.log(`${count} states, medians of ${runs.length} runs:`);
console.log(`  longest main-thread task while pasting: ${median(runs.map((r) => r.paste)).toFixed(0)} ms`);
console.log(`  longest main-thread task while typing:  ${median(runs.map((r) => r.typing)).toFixed(0)} ms`);
console.log(`  tasks over 50 ms while typing 35 keys:  ${median(runs.map((r) => r.over50))}`);
console.log(`  last key to redrawn diagram:            ${median(runs.map((r) => r.redraw)).toFixed(0)} ms`);
