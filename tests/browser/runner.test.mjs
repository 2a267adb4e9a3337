// Running state machines in the browser: the run panel under the demo practice page's diagram
// (step through, highlighting, data flow, a mocked error through Retry and Catch, bad input),
// loading the engine only when needed, and the /playground/ page (diagnostics as you type,
// the diagram, progress through a Map, a runaway loop, sharing through the address).
import assert from "node:assert/strict";
import { test } from "node:test";
import { repo } from "./harness.mjs";
import { flowFields, openPage, setDefinition, siteAndBrowser } from "./pages.mjs";

const PRACTICE = "aws/step-functions/introduction-aws-step-functions/";
const env = siteAndBrowser(repo);
const open = (path) => openPage(env, path);

/** The run panel of the first diagram, once the runner script has built it. */
async function panel(page) {
  await page.waitForSelector(".asl-figure .asl-run");
  return page.locator(".asl-figure").first();
}

const classesOf = (page, state) =>
  page.getAttribute(`g.asl-state[data-state="${state}"]`, "class");

async function statesWith(page, className) {
  return page.$$eval(`g.asl-state.${className}`, (groups) => groups.map((g) => g.dataset.state));
}

async function stepUntilDone(page, figure) {
  for (let i = 0; i < 100; i++) {
    if (await figure.locator(".asl-run-step").isDisabled()) return;
    await figure.locator(".asl-run-step").click();
    await page.waitForFunction(() => !document.querySelector(".asl-run.asl-busy"));
  }
  throw new Error("the execution did not end in 100 steps");
}

test("the engine loads only when a panel is used, and not at all on pages without diagrams", async () => {
  const plain = await open("aws/lambda/");
  await plain.page.waitForTimeout(300);
  assert.ok(!plain.requests.some((url) => /asl-runner\.js|asl\.wasm/.test(url)), plain.requests.join("\n"));
  await plain.page.close();

  const { page, requests, errors } = await open(PRACTICE);
  const figure = await panel(page);
  assert.ok(requests.some((url) => url.includes("asl-runner.js")));
  assert.ok(!requests.some((url) => url.includes("asl.wasm")), "no engine before it is needed");
  await figure.locator(".asl-run-step").click();
  await page.waitForSelector(".asl-events tbody tr");
  assert.ok(requests.some((url) => url.includes("asl.wasm")));
  assert.deepEqual(errors, []);
  await page.close();
});

test("stepping through the practice page's workflow highlights states and ends with its output", async () => {
  const { page, errors } = await open(PRACTICE);
  const figure = await panel(page);
  // The fence's input and mocks prefill the editors.
  assert.deepEqual(JSON.parse(await figure.locator(".asl-run-input").inputValue()), { orderId: "o-1001", total: 120 });
  const charge = figure.locator('.asl-mock[data-task="ChargeCard"]');
  assert.equal(await charge.locator("select").inputValue(), "return");
  assert.deepEqual(JSON.parse(await charge.locator("textarea").inputValue()), { Payload: { chargeId: "ch-77" } });

  // Step 1 starts the execution; step 2 enters the first state.
  await figure.locator(".asl-run-step").click();
  await page.waitForSelector('g.asl-state.asl-current[data-state="ValidateOrder"]');
  await figure.locator(".asl-run-step").click();
  await page.waitForSelector('g.asl-state.asl-visited[data-state="ValidateOrder"]');
  assert.match(await classesOf(page, "ValidateOrder"), /asl-current/);
  assert.doesNotMatch(await classesOf(page, "ChargeCard"), /asl-visited/);

  await stepUntilDone(page, figure);
  assert.match(await figure.locator(".asl-run-status").textContent(), /^Succeeded/);
  assert.deepEqual(
    (await statesWith(page, "asl-visited")).sort(),
    ["ChargeCard", "IsValid", "OrderShipped", "ValidateOrder", "WaitForShipment"],
  );
  assert.deepEqual(await statesWith(page, "asl-failed"), []);
  assert.deepEqual(await statesWith(page, "asl-current"), [], "nothing runs after the end");
  const taken = await page.$$eval(".asl-canvas g.asl-edge.asl-taken", (edges) =>
    edges.map((e) => `${e.dataset.from ?? "start"}>${e.dataset.to ?? "end"}`));
  for (const edge of ["start>ValidateOrder", "ValidateOrder>IsValid", "IsValid>ChargeCard", "ChargeCard>WaitForShipment", "WaitForShipment>OrderShipped", "OrderShipped>end"]) {
    assert.ok(taken.includes(edge), `${edge} in ${taken}`);
  }
  assert.ok(!taken.includes("IsValid>OrderRejected"), "the Default was not taken");
  const output = JSON.parse(await figure.locator(".asl-run-outcome pre").textContent());
  assert.deepEqual(output, {
    orderId: "o-1001",
    total: 120,
    validation: { valid: true },
    payment: { chargeId: "ch-77" },
    shipment: { trackingId: "1Z-999" },
  });

  // Choosing a state shows its data flow, step by step, with TestState's field names.
  await page.click('g.asl-state[data-state="ChargeCard"]');
  const flow = await flowFields(figure);
  assert.deepEqual(Object.keys(flow), [
    "status", "input", "afterInputPath", "afterParameters", "result", "afterResultSelector",
    "afterResultPath", "output", "variables",
  ]);
  assert.deepEqual(JSON.parse(flow.afterParameters).Payload, { orderId: "o-1001", total: 120, validation: { valid: true } });
  assert.deepEqual(JSON.parse(flow.afterResultSelector), { chargeId: "ch-77" });
  assert.match(await figure.locator(".asl-flow h4").textContent(), /ChargeCard/);

  // Reset clears everything.
  await figure.locator(".asl-run-reset").click();
  assert.deepEqual(await statesWith(page, "asl-visited"), []);
  assert.equal(await figure.locator(".asl-events tbody tr").count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the demo's Distributed Map reads its CSV object from the mocks and batches its rows", async () => {
  const { page, errors } = await open(PRACTICE);
  const figure = page.locator(".asl-figure", { hasText: "Orders from a CSV export" });
  await figure.locator(".asl-run").waitFor();
  await figure.getByRole("button", { name: "Run" }).click();
  await figure.locator(".asl-run-outcome pre").waitFor();
  assert.match(await figure.locator(".asl-run-status").textContent(), /^Succeeded/);
  const output = JSON.parse(await figure.locator(".asl-run-outcome pre").textContent());
  // Five rows in batches of two: three child workflows, each answering from its mock.
  assert.deepEqual(output.batches, [
    { scored: 2, flagged: [] },
    { scored: 2, flagged: ["o-1003"] },
    { scored: 1, flagged: [] },
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a mocked Task error is retried, then caught, and shown as caught", async () => {
  const { page, errors } = await open(PRACTICE);
  const figure = await panel(page);
  await figure.locator(".asl-run-setup > summary").click();
  const charge = figure.locator('.asl-mock[data-task="ChargeCard"]');
  await charge.locator("select").selectOption("throw");
  await charge.locator(".asl-mock-error").fill("PaymentGatewayTimeout");
  await charge.locator(".asl-mock-cause").fill("the gateway did not answer");
  await figure.locator(".asl-run-go").click();
  await page.waitForSelector(".asl-run-outcome:not([hidden])");

  const rows = await figure.locator(".asl-events tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.children[1].textContent, tr.children[2].textContent]));
  const failures = rows.filter(([type, state]) => type === "TaskFailed" && state === "ChargeCard");
  assert.equal(failures.length, 5, "one attempt and four retries (MaxAttempts 4)");
  const entered = rows.filter(([type]) => type.endsWith("StateEntered")).map(([, state]) => state);
  assert.deepEqual(entered.slice(-3), ["ChargeCard", "NotifySupport", "OrderFailed"]);
  assert.match(await figure.locator(".asl-run-outcome").textContent(), /failed: OrderFailed/);
  assert.deepEqual(await statesWith(page, "asl-failed"), ["OrderFailed"]);
  assert.deepEqual(await statesWith(page, "asl-caught"), ["ChargeCard"]);
  const caught = await page.$$eval(".asl-canvas g.asl-edge.asl-edge-catch.asl-taken", (edges) => edges.map((e) => e.dataset.to));
  assert.deepEqual(caught, ["NotifySupport"]);
  // The retries took virtual time: the last row is far later than the first.
  const times = await figure.locator(".asl-events td.asl-event-time").allTextContents();
  assert.ok(times.some((t) => parseFloat(t.slice(1)) > 0), times.join("|"));

  await page.click('g.asl-state[data-state="ChargeCard"]');
  const flow = await flowFields(figure);
  assert.equal(flow.status, "CAUGHT_ERROR");
  assert.equal(flow.error, "PaymentGatewayTimeout");
  assert.deepEqual(JSON.parse(flow.afterResultPath).error.Error, "PaymentGatewayTimeout");
  assert.deepEqual(errors, []);
  await page.close();
});

test("invalid input JSON is reported next to its editor, with the line", async () => {
  const { page } = await open(PRACTICE);
  const figure = await panel(page);
  await figure.locator(".asl-run-setup > summary").click();
  await figure.locator(".asl-run-input").fill('{\n  "orderId": "o-1",\n}');
  await figure.locator(".asl-run-go").click();
  const message = figure.locator(".asl-run-input + .asl-field-error");
  await message.waitFor({ state: "visible" });
  assert.match(await message.textContent(), /input is not valid JSON.*line 3/);
  assert.ok(await figure.locator(".asl-run-results").isHidden(), "nothing ran");
  // A mock that is not JSON is named too.
  await figure.locator(".asl-run-input").fill("{}");
  const validate = figure.locator('.asl-mock[data-task="ValidateOrder"]');
  await validate.locator("textarea").fill("{oops");
  await figure.locator(".asl-run-go").click();
  assert.match(await validate.locator(".asl-field-error").textContent(), /ValidateOrder: not valid JSON/);
  await page.close();
});

test("the playground checks as you type, draws, runs and shows a Map's progress", async () => {
  const { page, errors } = await open("playground/");
  await page.waitForSelector(".asl-playground .asl-canvas svg");
  await page.waitForSelector(".asl-editor .cm-content");
  assert.match(await page.textContent(".asl-diagnostics-summary"), /Valid/);

  const figure = page.locator(".asl-playground-figure");
  let sawProgress = false;
  for (let i = 0; i < 60 && !(await figure.locator(".asl-run-step").isDisabled()); i++) {
    await figure.locator(".asl-run-step").click();
    await page.waitForFunction(() => !document.querySelector(".asl-run.asl-busy"));
    const progress = await page.$$eval(".asl-progress", (labels) => labels.map((l) => l.textContent));
    if (progress.includes("iteration 2 / 2")) {
      sawProgress = true;
      assert.deepEqual((await statesWith(page, "asl-current")).sort(), ["Ship", "ShipItems"]);
    }
  }
  assert.ok(sawProgress, "the Map showed which iteration runs");
  assert.equal(await page.textContent(".asl-progress"), "2 iterations done");
  const output = JSON.parse(await figure.locator(".asl-run-outcome pre").textContent());
  assert.deepEqual(output.shipments, [{ sku: "a-1", shipped: true }, { sku: "b-2", shipped: true }]);

  // An invalid definition: a diagnostic with its line, the old diagram dimmed, no running.
  const editor = page.locator("#_asl-definition");
  const broken = (await editor.inputValue()).replace('"Next": "ShipItems"', '"Next": "ShipAll"');
  await setDefinition(page, broken);
  const item = page.locator(".asl-diagnostic-error").first();
  await item.waitFor();
  assert.match(await item.textContent(), /MISSING_TRANSITION_TARGET/);
  const before = broken.slice(0, broken.indexOf('"ShipAll"')).split("\n");
  const at = `${before.length}:${before[before.length - 1].length + 1}`;
  assert.equal(await item.locator(".asl-diagnostic-at").textContent(), at);
  assert.match(await page.getAttribute(".asl-playground-figure", "class"), /asl-stale/);
  assert.ok(await figure.locator(".asl-run-go").isDisabled());
  // Scroll the editor away first: the click brings the place back into view.
  await page.locator(".asl-editor .cm-scroller").evaluate((s) => { s.scrollTop = s.scrollHeight; });
  await item.locator(".asl-diagnostic-at").click();
  assert.equal(await page.evaluate(() => getSelection().toString()), '"ShipAll"');
  const shown = await page.locator(".asl-editor .cm-activeLine").evaluate((line) => {
    const box = line.getBoundingClientRect();
    const view = line.closest(".cm-scroller").getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom && line.textContent;
  });
  assert.match(shown, /"Next": "ShipAll"/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a runaway loop stops at the budget", async () => {
  const { page } = await open("playground/");
  await page.waitForSelector(".asl-playground .asl-canvas svg");
  const loop = JSON.stringify({
    StartAt: "Again",
    States: {
      Again: { Type: "Pass", Next: "Check" },
      Check: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "Again" },
      Done: { Type: "Succeed" },
    },
  }, null, 2);
  await setDefinition(page, loop);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Again"]');
  await page.locator(".asl-run-go").click();
  await page.waitForSelector(".asl-run-outcome:not([hidden])");
  assert.match(await page.textContent(".asl-run-outcome"), /Stopped after 10,000 state transitions/);
  await page.close();
});

test("a definition, input and mocks are shared through the address", async () => {
  const { page } = await open("playground/");
  await page.waitForSelector(".asl-playground .asl-canvas svg");
  const definition = "# YAML works too\nStartAt: Hello\nStates:\n  Hello:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    End: true\n";
  await setDefinition(page, definition);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Hello"]');
  const mock = page.locator('.asl-mock[data-task="Hello"]');
  await mock.locator("select").selectOption("return");
  await mock.locator("textarea").fill('{"greeting": "hi"}');
  await page.locator(".asl-run-input").fill('{"name": "Ada"}');
  await page.locator(".asl-run-share").click();
  await page.waitForFunction(() => location.hash.startsWith("#asl="));
  const shared = page.url();

  const other = await env.browser.newPage();
  await other.goto(shared);
  await other.waitForSelector('.asl-canvas g.asl-state[data-state="Hello"]');
  assert.equal(await other.locator("#_asl-definition").inputValue(), definition);
  assert.equal(await other.locator(".asl-run-input").inputValue(), '{"name": "Ada"}');
  await other.locator(".asl-run-go").click();
  await other.waitForSelector(".asl-run-outcome:not([hidden])");
  assert.deepEqual(JSON.parse(await other.locator(".asl-run-outcome pre").textContent()), { greeting: "hi" });
  await other.close();
  await page.close();
});

test("a page's diagram opens in the playground with its definition and mocks", async () => {
  const { page } = await open(PRACTICE);
  const figure = await panel(page);
  await Promise.all([page.waitForURL(/playground\/#asl=/), figure.locator(".asl-run-share").click()]);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="ChargeCard"]');
  assert.match(await page.locator("#_asl-definition").inputValue(), /"StartAt": "ValidateOrder"/);
  assert.equal(await page.locator('.asl-mock[data-task="ChargeCard"] select').inputValue(), "return");
  await page.close();
});

test("a damaged or cut-off share link keeps the playground working and says so", async () => {
  for (const hash of ["#asl=A", "#asl=AAAA", "#asl-raw=bnVsbA"]) {
    const { page, errors } = await open("playground/" + hash);
    await page.waitForSelector(".asl-playground .asl-canvas svg");
    await page.waitForFunction(() => /damaged/.test(document.querySelector(".asl-diagnostics-summary").textContent));
    assert.deepEqual(errors, [], hash);
    await page.close();
  }
});

test("a share link opened in a tab that shows the playground already loads", async () => {
  const { page } = await open(PRACTICE);
  const figure = await panel(page);
  await figure.locator(".asl-run").hover();
  await page.waitForFunction(() => /#asl=/.test(document.querySelector(".asl-run-share").href));
  const link = await figure.locator(".asl-run-share").getAttribute("href");
  const other = await env.browser.newPage();
  await other.goto(env.site.url + "playground/", { waitUntil: "load" });
  await other.waitForSelector(".asl-playground .asl-canvas svg");
  await other.goto(new URL(link, env.site.url).href); // only the fragment changes
  await other.waitForSelector('.asl-canvas g.asl-state[data-state="ChargeCard"]');
  await other.close();
  await page.close();
});

test("a failed state's data flow names the error, and Reset cancels a Step still loading", async () => {
  const { page } = await open("playground/");
  await page.waitForSelector(".asl-playground .asl-canvas svg");
  const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", InputPath: "$.missing", End: true } } });
  await setDefinition(page, definition);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="P"]');
  await page.locator(".asl-run-go").click();
  await page.waitForSelector(".asl-run-outcome:not([hidden])");
  assert.deepEqual(await statesWith(page, "asl-failed"), ["P"]);
  await page.click('g.asl-state[data-state="P"]');
  const flow = await flowFields(page.locator(".asl-playground"));
  assert.equal(flow.status, "FAILED");
  assert.equal(flow.error, "States.Runtime");
  await page.close();

  const slow = await env.browser.newPage();
  await slow.route("**/asl.wasm*", async (route) => {
    await new Promise((done) => setTimeout(done, 800));
    await route.continue();
  });
  await slow.goto(env.site.url + PRACTICE, { waitUntil: "load" });
  const figure = await panel(slow);
  await figure.locator(".asl-run-step").click();
  await figure.locator(".asl-run-reset").click();
  await slow.waitForTimeout(1500);
  assert.equal(await figure.locator(".asl-events tbody tr").count(), 0);
  assert.ok(await figure.locator(".asl-run-results").isHidden());
  await slow.close();
});

test("a JSONata state machine runs in the page, with its variables in the data flow", async () => {
  const { page, errors } = await open(PRACTICE);
  await page.waitForSelector(".asl-figure .asl-run");
  const figure = page.locator(".asl-figure", { hasText: "Price check in JSONata" });
  await figure.locator(".asl-run-go").click();
  await figure.locator(".asl-run-outcome:not([hidden])").waitFor();
  assert.deepEqual(JSON.parse(await figure.locator(".asl-run-outcome pre").textContent()), { total: 103.5 });
  const visited = await figure.locator("g.asl-state.asl-visited").evaluateAll((groups) => groups.map((g) => g.dataset.state));
  assert.deepEqual(visited.sort(), ["ApplyDiscount", "Done", "IsLarge", "Total"]);
  await figure.locator('g.asl-state[data-state="Total"]').click();
  assert.equal(JSON.parse((await flowFields(figure)).variables).total, 115);
  await figure.locator('g.asl-state[data-state="ApplyDiscount"]').click();
  const flow = await flowFields(figure);
  assert.deepEqual(Object.keys(flow), ["status", "input", "afterArguments", "result", "output", "variables"]);
  assert.deepEqual(errors, []);
  await page.close();
});
