// State machine diagrams as a reader sees them: the run's status colours (computed fill and
// stroke, light and dark, with icons and a legend), the viewer (zoom, fit, pan, full screen,
// keyboard, readable text on a phone) and the run panel's layout.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { test } from "node:test";
import { repo } from "./harness.mjs";
import { openPage, setDefinition, siteAndBrowser } from "./pages.mjs";

const PRACTICE = "aws/step-functions/introduction-aws-step-functions/";
const env = siteAndBrowser(repo);
const open = (path, options) => openPage(env, path, options);

/** The practice page and its first diagram, once its run panel is built. */
async function practice(options) {
  const { page, errors } = await open(PRACTICE, options);
  await page.waitForSelector(".asl-figure .asl-run");
  return { page, errors, figure: page.locator(".asl-figure").first() };
}

/** The palette of asl.css, as Chromium reports computed colours. */
const PALETTE = {
  light: {
    succeeded: { fill: "rgb(220, 243, 227)", stroke: "rgb(26, 127, 55)" },
    failed: { fill: "rgb(255, 224, 223)", stroke: "rgb(207, 34, 46)" },
    caught: { fill: "rgb(255, 240, 214)", stroke: "rgb(179, 89, 0)" },
    current: "rgb(5, 80, 174)",
    taskFill: "rgb(238, 244, 254)",
  },
  dark: {
    succeeded: { fill: "rgb(18, 54, 31)", stroke: "rgb(63, 185, 80)" },
    failed: { fill: "rgb(74, 22, 24)", stroke: "rgb(255, 107, 102)" },
    caught: { fill: "rgb(61, 42, 12)", stroke: "rgb(240, 160, 48)" },
    current: "rgb(121, 184, 255)",
    taskFill: "rgb(22, 35, 58)",
  },
};

/** What is drawn for `state`: its box's computed fill, stroke and width, its icon, its name. */
function drawn(scope, state) {
  return scope.locator(`g.asl-state[data-state="${state}"]`).first().evaluate((g) => {
    const box = getComputedStyle(g.querySelector(":scope > rect.asl-box"));
    const icon = g.querySelector(":scope > .asl-status-icon");
    return {
      fill: box.fill,
      stroke: box.stroke,
      width: parseFloat(box.strokeWidth),
      icon: icon ? icon.getAttribute("class").replace("asl-status-icon asl-icon-", "") : null,
      iconFill: icon ? getComputedStyle(icon.querySelector("circle")).fill : null,
      label: g.getAttribute("aria-label"),
    };
  });
}

for (const scheme of ["light", "dark"]) {
  test(`${scheme}: succeeded, caught, failed and current states are drawn in their own colours with icons`, async () => {
    const colours = PALETTE[scheme];
    const { page, errors, figure } = await practice({ colorScheme: scheme });
    // ChargeCard fails every attempt; its Catch sends the execution to NotifySupport, then to
    // the Fail state OrderFailed.
    await figure.locator(".asl-run-setup > summary").click();
    const charge = figure.locator('.asl-mock[data-task="ChargeCard"]');
    await charge.locator("select").selectOption("throw");
    await charge.locator(".asl-mock-error").fill("PaymentGatewayTimeout");
    await figure.getByRole("button", { name: "Run", exact: true }).click();
    await figure.locator(".asl-run-outcome:not([hidden])").waitFor();

    const validate = await drawn(figure, "ValidateOrder");
    assert.deepEqual([validate.fill, validate.stroke, validate.icon], [colours.succeeded.fill, colours.succeeded.stroke, "succeeded"]);
    assert.equal(validate.iconFill, colours.succeeded.stroke);
    const caught = await drawn(figure, "ChargeCard");
    assert.deepEqual([caught.fill, caught.stroke, caught.icon], [colours.caught.fill, colours.caught.stroke, "caught"]);
    assert.notEqual(caught.fill, colours.taskFill, "the Task's own blue does not win");
    assert.equal(caught.label, "ChargeCard, lambda:invoke, 4 retries, Task, failed, then caught");
    const failed = await drawn(figure, "OrderFailed");
    assert.deepEqual([failed.fill, failed.stroke, failed.icon], [colours.failed.fill, colours.failed.stroke, "failed"]);
    // Not reached: no status, a neutral dashed outline.
    const shipped = await drawn(figure, "OrderShipped");
    assert.equal(shipped.icon, null);
    assert.ok(![colours.succeeded.stroke, colours.failed.stroke, colours.caught.stroke].includes(shipped.stroke));
    // The taken Catch edge is amber and thicker than an edge not taken.
    const edges = await figure.locator("g.asl-edge").evaluateAll((gs) => gs.map((g) => ({
      to: g.dataset.to, from: g.dataset.from, catch: g.classList.contains("asl-edge-catch"),
      stroke: getComputedStyle(g.querySelector("path")).stroke, width: parseFloat(getComputedStyle(g.querySelector("path")).strokeWidth),
    })));
    const takenCatch = edges.find((e) => e.catch && e.from === "ChargeCard" && e.to === "NotifySupport");
    assert.equal(takenCatch.stroke, colours.caught.stroke);
    const notTaken = edges.find((e) => e.from === "WaitForShipment");
    assert.ok(takenCatch.width > notTaken.width);
    // The legend explains it.
    const legend = figure.getByRole("list", { name: "Legend" });
    assert.deepEqual((await legend.locator("li").allTextContents()).map((t) => t.trim()),
      ["Succeeded", "Failed", "Failed, then caught", "Running now", "Not reached", "Path taken", "Catch taken"]);

    // A Task that fails with no Catch is red, not Task-blue; the state running now has a
    // strong outline of its own.
    const play = await open("playground/", { colorScheme: scheme });
    await play.page.waitForSelector(".asl-editor .cm-content");
    await play.page.waitForSelector(".asl-canvas svg");
    await setDefinition(play.page, JSON.stringify({
      StartAt: "First",
      States: { First: { Type: "Pass", Next: "Charge" }, Charge: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
    }, null, 2));
    await play.page.waitForSelector('.asl-canvas g.asl-state[data-state="First"]');
    const row = play.page.locator('.asl-mock[data-task="Charge"]');
    await row.locator("select").selectOption("throw");
    const stepButton = play.page.getByRole("button", { name: "Step", exact: true });
    await stepButton.click();
    await play.page.waitForSelector('g.asl-state.asl-current[data-state="First"]');
    const current = await drawn(play.page, "First");
    assert.equal(current.stroke, colours.current);
    assert.equal(current.width, 4.5);
    assert.equal(current.icon, "current");
    await play.page.getByRole("button", { name: "Run", exact: true }).click();
    await play.page.locator(".asl-run-outcome:not([hidden])").waitFor();
    const red = await drawn(play.page, "Charge");
    assert.deepEqual([red.fill, red.stroke, red.icon], [colours.failed.fill, colours.failed.stroke, "failed"]);
    const first = await drawn(play.page, "First");
    assert.equal(first.stroke, colours.succeeded.stroke, "visited and current differ");
    assert.deepEqual(play.errors, []);
    await play.page.close();
    assert.deepEqual(errors, []);
    await page.close();
  });
}

/** The diagram's drawn width, and the smallest text on screen in CSS pixels. */
function measure(figure) {
  return figure.locator(".asl-canvas svg").evaluate((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return { width: svg.getBoundingClientRect().width, smallestText: Math.min(...sizes) };
  });
}

test("zoom buttons, keyboard, Ctrl+wheel and Fit change the drawn size, never below readable text", async () => {
  const { page, errors, figure } = await practice();
  const start = await measure(figure);
  assert.ok(start.smallestText >= 10.99, `smallest text ${start.smallestText}px`);
  const zoomOut = figure.getByRole("button", { name: "Zoom out" });
  assert.ok(await zoomOut.isDisabled(), "100% is the smallest readable size");

  await figure.getByRole("button", { name: "Zoom in" }).click();
  const bigger = await measure(figure);
  assert.ok(Math.abs(bigger.width / start.width - 1.25) < 0.01, `${bigger.width} vs ${start.width}`);
  await zoomOut.click();
  assert.ok(Math.abs((await measure(figure)).width - start.width) < 0.5);

  // Keyboard, on the focused canvas.
  await figure.locator(".asl-canvas").focus();
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  assert.ok((await measure(figure)).width > bigger.width);
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  assert.ok(Math.abs((await measure(figure)).width - start.width) < 0.5, "never smaller than 100%");
  await page.keyboard.press("0");
  const fitted = await measure(figure);
  assert.ok(fitted.smallestText >= 10.99);
  assert.ok(fitted.width >= start.width);

  // Ctrl + wheel (what a trackpad pinch sends) zooms around the pointer.
  const box = await figure.locator(".asl-canvas").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
  await page.waitForTimeout(100);
  assert.ok((await measure(figure)).width > fitted.width);
  assert.match(await figure.locator(".asl-view-zoom").textContent(), /^\d+%$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("dragging pans a zoomed diagram, and a drag does not select a state", async () => {
  const { page, figure } = await practice();
  for (let i = 0; i < 4; i++) await figure.getByRole("button", { name: "Zoom in" }).click();
  const canvas = figure.locator(".asl-canvas");
  const before = await canvas.evaluate((c) => [c.scrollLeft, c.scrollTop]);
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 80, { steps: 6 });
  await page.mouse.up();
  const after = await canvas.evaluate((c) => [c.scrollLeft, c.scrollTop]);
  assert.ok(after[0] > before[0] + 60 || after[1] > before[1] + 40, `${before} -> ${after}`);
  assert.equal(await figure.locator(".asl-selected").count(), 0);
  await page.close();
});

test("states are reached with the keyboard, and Full screen fills the window", async () => {
  const { page, errors, figure } = await practice();
  await figure.locator(".asl-canvas").focus();
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  assert.match(focused, /^[A-Za-z]+, .*\b(Task|Choice|Pass|Wait|Succeed|Fail|Map|Parallel)\b/);
  await page.keyboard.press("Enter");
  assert.match(await figure.locator(".asl-flow h4").textContent(), new RegExp(focused.split(",")[0]));
  const state = figure.getByRole("button", { name: /^ChargeCard, / });
  await state.focus();
  await page.keyboard.press(" ");
  assert.match(await figure.locator(".asl-flow h4").textContent(), /ChargeCard/);

  const small = (await figure.locator(".asl-canvas").boundingBox()).height;
  await figure.getByRole("button", { name: "Full screen" }).click();
  await page.waitForFunction(() => document.fullscreenElement || document.querySelector(".asl-full"));
  await page.waitForTimeout(200);
  const canvas = await figure.locator(".asl-canvas").boundingBox();
  assert.ok(canvas.height > small || canvas.height >= 0.6 * page.viewportSize().height, `${small} -> ${canvas.height}`);
  await figure.getByRole("button", { name: "Exit full screen" }).click();
  await page.waitForFunction(() => !document.fullscreenElement && !document.querySelector(".asl-full"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a 390 px phone the diagram's text stays readable, pans, and the history keeps its columns", async () => {
  const { page, errors, figure } = await practice({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const drawnSize = await measure(figure);
  assert.ok(drawnSize.smallestText >= 10.99, `smallest text ${drawnSize.smallestText}px`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "the page itself does not scroll sideways");
  for (const name of ["Zoom in", "Zoom out", "Fit", "Full screen"]) {
    const button = figure.getByRole("button", { name });
    const box = await button.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390 && box.height >= 32, `${name}: ${JSON.stringify(box)}`);
  }
  await figure.getByRole("button", { name: "Run", exact: true }).click();
  const outcome = figure.locator(".asl-run-outcome:not([hidden])");
  await outcome.waitFor();
  // The outcome is brought into view.
  const inView = await outcome.evaluate((node) => {
    const r = node.getBoundingClientRect();
    return r.top < innerHeight && r.bottom > 0;
  });
  assert.ok(inView, "the outcome is on screen");
  // Every history cell shows all of its text (the table scrolls in its own box if it must).
  const clipped = await figure.locator(".asl-events th, .asl-events td").evaluateAll((cells) =>
    cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
  assert.deepEqual(clipped, []);
  const wrap = await figure.locator(".asl-events-wrap").evaluate((w) => [w.getBoundingClientRect().right, w.scrollWidth - w.clientWidth]);
  assert.ok(wrap[0] <= 390, `the history box ends at ${wrap[0]}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the history's time column shows the simulated clock where it moved", async () => {
  const { page, figure } = await practice();
  await figure.getByRole("button", { name: "Run", exact: true }).click();
  await figure.locator(".asl-run-outcome:not([hidden])").waitFor();
  const times = await figure.locator(".asl-events td.asl-event-time").allTextContents();
  assert.equal(times[0], "0 s");
  assert.ok(times.filter((t) => t === "").length > 0, "rows where the clock did not move are blank");
  assert.ok(!times.includes("+0.000 s"));
  await page.close();
});

test("a failing mock offers the definition's error names, and per invocation starts from the current value", async () => {
  const { page, figure } = await practice();
  await figure.locator(".asl-run-setup > summary").click();
  const charge = figure.locator('.asl-mock[data-task="ChargeCard"]');
  await charge.locator("select").selectOption("throw");
  const offered = await charge.locator("datalist option").evaluateAll((os) => os.map((o) => o.value));
  for (const name of ["PaymentGatewayTimeout", "CardDeclined", "States.TaskFailed"]) {
    assert.ok(offered.includes(name), `${name} in ${offered}`);
  }
  assert.ok(!offered.includes("States.ALL"));
  assert.ok(offered.indexOf("PaymentGatewayTimeout") < offered.indexOf("Lambda.ServiceException") || !offered.includes("Lambda.ServiceException"),
    "the Task's own errors come first");

  await charge.locator("select").selectOption("return");
  await charge.locator("textarea").fill('{"Payload": {"chargeId": "ch-9"}}');
  await charge.locator("select").selectOption("sequence");
  const template = JSON.parse(await charge.locator("textarea").inputValue());
  assert.deepEqual(template["0"], { Return: { Payload: { chargeId: "ch-9" } } });
  await figure.getByRole("button", { name: "Run", exact: true }).click();
  await figure.locator(".asl-run-outcome:not([hidden])").waitFor();
  assert.match(await figure.locator(".asl-run-status").textContent(), /^Succeeded/);
  await page.close();
});

test("while the engine loads, Run is disabled and says how much is loading", async () => {
  // A server in front of the site that sends the engine's headers and first bytes, then holds
  // the rest until the test lets it go: a slow connection.
  let release;
  const held = new Promise((done) => { release = done; });
  const slow = createServer(async (req, res) => {
    const upstream = await fetch(new URL(req.url, env.site.url));
    const body = Buffer.from(await upstream.arrayBuffer());
    const headers = { "content-type": upstream.headers.get("content-type") || "application/octet-stream", "content-length": body.length };
    res.writeHead(upstream.status, headers);
    if (!req.url.includes("asl.wasm")) return res.end(body);
    res.write(body.subarray(0, 1024));
    await held;
    res.end(body.subarray(1024));
  });
  await new Promise((ok) => slow.listen(0, "127.0.0.1", ok));
  const page = await env.browser.newPage();
  // Whatever happens below, the held response is let go and the server closed, so a failure
  // cannot leave the test process waiting on it forever.
  try {
    await page.goto(`http://127.0.0.1:${slow.address().port}/playground/`, { waitUntil: "load" });
    const run = page.getByRole("button", { name: "Run", exact: true });
    // The panel is built by the script after load: wait for it to exist, then for the words.
    await page.waitForFunction(() => /Loading the engine \(\d[\d,]* KB\)/.test(document.querySelector(".asl-run-status")?.textContent ?? ""));
    assert.equal(await run.getAttribute("aria-disabled"), "true");
    assert.equal(await page.getByRole("button", { name: "Step", exact: true }).getAttribute("aria-disabled"), "true");
    assert.doesNotMatch(await page.textContent(".asl-mocks"), /no Task states/);
    assert.doesNotMatch(await page.textContent(".asl-diagnostics-summary"), /Valid/);
    release();
    await page.waitForSelector(".asl-canvas svg");
    await page.waitForFunction(() => document.querySelector(".asl-run-go")?.disabled === false);
    assert.doesNotMatch(await page.textContent(".asl-run-status"), /Loading/);
    assert.match(await page.textContent(".asl-mocks"), /Charge/);
  } finally {
    release();
    await page.close();
    slow.closeAllConnections();
    await new Promise((done) => slow.close(done));
  }
});

test("a state's accessible name starts with what its box shows, even a name wrapped and cut short", async () => {
  const long = "ValidateTheIncomingOrderAgainstTheCatalogueAndTheCustomerLimits";
  const definition = JSON.stringify({
    StartAt: long,
    States: { [long]: { Type: "Wait", Seconds: 5, Next: "Done" }, Done: { Type: "Succeed" } },
  }, null, 2);
  const raw = Buffer.from(JSON.stringify({ definition, input: "{}", mocks: "" })).toString("base64url");
  const { page, errors } = await open("playground/#asl-raw=" + raw);
  const state = page.locator(`.asl-canvas g.asl-state[data-state="${long}"]`);
  await state.waitFor();
  const shown = await state.evaluate((g) => Array.from(g.querySelectorAll(":scope > text.asl-name"), (t) => t.textContent).join(" "));
  assert.notEqual(shown, long, "the box shows the name wrapped or cut");
  // What the box shows, the full name, then the detail line (which names the type).
  assert.equal(await state.getAttribute("aria-label"), `${shown} (${long}), Wait, 5 s`);
  assert.equal(await page.getByRole("button", { name: "Done, Succeed" }).count(), 1);

  await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8") });
  const result = await page.evaluate(async () => {
    const rule = "label-content-name-mismatch";
    const r = await window.axe.run(".asl-canvas", { runOnly: [rule], rules: { [rule]: { enabled: true } } });
    return { failed: r.violations.length, passed: r.passes.flatMap((p) => p.nodes).length };
  });
  assert.deepEqual(result, { failed: 0, passed: 2 });
  assert.deepEqual(errors, []);
  await page.close();
});
