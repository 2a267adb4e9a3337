// The run panel's execution history as a way into a run: choosing a row shows that step's data
// flow exactly as `awskb asl test-state` reports the same step (the same field names and
// values), and moves the keyboard focus to the state in the diagram, where the arrow keys
// follow the edges and Escape goes back to the row.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { awskbBinary, repo } from "./harness.mjs";
import { flowFields, openPage, siteAndBrowser } from "./pages.mjs";

const PRACTICE = "aws/step-functions/introduction-aws-step-functions/";
const env = siteAndBrowser(repo);

/** The definition of the practice page's fence titled `title`, written to a file. */
function definitionFile(title) {
  const page = readFileSync(join(repo, "content", PRACTICE.replace(/\/$/, ".md")), "utf8");
  const fence = page.split("```asl ").find((block) => block.startsWith(`title="${title}"`));
  const body = fence.slice(fence.indexOf("\n") + 1, fence.indexOf("\n```"));
  const file = join(mkdtempSync(join(tmpdir(), "awskb-history-")), "definition.json");
  writeFileSync(file, body);
  return file;
}

/** What `awskb asl test-state --inspection-level DEBUG --format json` answers. */
function testState(file, args) {
  let out;
  try {
    out = execFileSync(awskbBinary(), ["asl", "test-state", file, "--inspection-level", "DEBUG", "--format", "json", ...args]);
  } catch (failed) {
    out = failed.stdout; // exit 1 for a failed state still prints the answer
  }
  return JSON.parse(out);
}

/** Runs the figure titled `title` to its end. */
async function runToEnd(page, title) {
  await page.waitForSelector(".asl-figure .asl-run");
  const figure = page.locator(".asl-figure", { hasText: title });
  await figure.getByRole("button", { name: "Run" }).click();
  await figure.locator(".asl-run-outcome:not([hidden])").waitFor();
  return figure;
}

/** Every field the CLI reports for the step is in the panel, with the same JSON value. */
function assertSameAsCli(flow, cli) {
  const fields = Object.keys(cli.inspectionData);
  assert.deepEqual(Object.keys(flow).filter((name) => !["status", "output", "error", "cause"].includes(name)), fields);
  for (const field of fields) {
    assert.deepEqual(JSON.parse(flow[field]), JSON.parse(cli.inspectionData[field]), field);
  }
  assert.deepEqual(JSON.parse(flow.output), JSON.parse(cli.output), "output");
  assert.equal(flow.status, cli.status);
}

test("choosing a history row shows that step with TestState's fields and the CLI's values", async () => {
  const { page, errors } = await openPage(env, PRACTICE);
  const figure = await runToEnd(page, "Order workflow");
  await figure.getByRole("row", { name: /TaskStateExited ChargeCard/ }).click();
  assert.equal(await figure.getByRole("heading", { name: "Data flow: ChargeCard" }).count(), 1);
  const flow = await flowFields(figure);
  assert.deepEqual(Object.keys(flow), [
    "status", "input", "afterInputPath", "afterParameters", "result", "afterResultSelector",
    "afterResultPath", "output", "variables",
  ]);
  assert.deepEqual(JSON.parse(flow.result), { Payload: { chargeId: "ch-77" } });
  assert.deepEqual(JSON.parse(flow.afterResultSelector), { chargeId: "ch-77" });
  // A value a field left as it was is folded, saying so.
  const same = figure.locator(".asl-flow dd").nth(2);
  assert.equal(await same.locator("summary").innerText(), "same as input");
  assert.ok(await same.locator("pre").isHidden());
  await same.getByText("same as input").click();
  assert.ok(await same.locator("pre").isVisible());

  const cli = testState(definitionFile("Order workflow"), [
    "--state", "ChargeCard", "--input", flow.input,
    "--mock-result", JSON.stringify({ Payload: { chargeId: "ch-77" } }),
  ]);
  assertSameAsCli(flow, cli);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a JSONata step chosen with the keyboard shows its arguments and the variables it sees", async () => {
  const { page, errors } = await openPage(env, PRACTICE);
  const figure = await runToEnd(page, "Price check in JSONata");
  await figure.getByRole("row", { name: /TaskStateExited ApplyDiscount/ }).focus();
  await page.keyboard.press("Enter");
  const flow = await flowFields(figure);
  assert.deepEqual(Object.keys(flow), ["status", "input", "afterArguments", "result", "output", "variables"]);
  assert.deepEqual(JSON.parse(flow.afterArguments), { FunctionName: "discounts", Payload: { total: 115 } });
  assert.deepEqual(JSON.parse(flow.variables), { total: 115 });
  const cli = testState(definitionFile("Price check in JSONata"), [
    "--state", "ApplyDiscount", "--input", flow.input, "--variables", flow.variables,
    "--mock-result", JSON.stringify({ discount: 0.1 }),
  ]);
  assertSameAsCli(flow, cli);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Whether all of the focused element is inside its canvas and the window, below the page's
    sticky header. */
function focusedInView() {
  const top = document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0;
  const box = document.activeElement.getBoundingClientRect();
  const canvas = document.activeElement.closest(".asl-canvas")?.getBoundingClientRect();
  const inside = (outer) => Boolean(outer) && box.left >= outer.left - 1 && box.right <= outer.right + 1 &&
    box.top >= outer.top - 1 && box.bottom <= outer.bottom + 1;
  return inside(canvas) && inside({ left: 0, top, right: innerWidth, bottom: innerHeight });
}

/** The focused element's state, role and name, and whether it is in view. */
async function focusedState(page) {
  return page.evaluate((inView) => {
    const node = document.activeElement;
    return {
      state: node.getAttribute("data-state"),
      role: node.getAttribute("role"),
      name: node.getAttribute("aria-label"),
      visible: new Function(`return (${inView})()`)(),
    };
  }, focusedInView.toString());
}

// Zoomed in until the diagram is far wider and taller than its canvas (less on a phone, where
// a state drawn wider than the canvas could not be wholly in view).
for (const [viewport, zoomSteps] of [[{ width: 1280, height: 800 }, 4], [{ width: 390, height: 844 }, 2]]) {
  test(`at ${viewport.width} px, choosing a history row focuses its state in view; arrows follow the edges`, async () => {
    // Without smooth scrolling, so that where things are can be read at once.
    const { page, errors } = await openPage(env, PRACTICE, { viewport, reducedMotion: "reduce" });
    const figure = await runToEnd(page, "Order workflow");
    for (let i = 0; i < zoomSteps; i++) await figure.getByRole("button", { name: "Zoom in" }).click();
    const row = figure.getByRole("row", { name: /TaskStateEntered WaitForShipment/ });
    await row.scrollIntoViewIfNeeded();
    await row.click();
    let focused = await focusedState(page);
    assert.equal(focused.state, "WaitForShipment");
    assert.equal(focused.role, "button");
    assert.match(focused.name, /^WaitForShipment\b/);
    assert.ok(focused.visible, "the state is inside the canvas and the window");
    const state = figure.getByRole("button", { name: /^WaitForShipment, / });
    assert.ok(await state.evaluate((node) => node === document.activeElement));

    // Up goes back along the edge in; Down follows the first edge out.
    await page.keyboard.press("ArrowUp");
    assert.equal((await focusedState(page)).state, "ChargeCard");
    await page.keyboard.press("ArrowUp");
    assert.equal((await focusedState(page)).state, "IsValid");
    await page.keyboard.press("ArrowDown");
    const first = (await focusedState(page)).state;
    assert.ok(["ChargeCard", "OrderRejected"].includes(first), first);
    // Left and Right step through the states the same Choice leads to.
    await page.keyboard.press(first === "ChargeCard" ? "ArrowRight" : "ArrowLeft");
    focused = await focusedState(page);
    assert.equal(focused.state, first === "ChargeCard" ? "OrderRejected" : "ChargeCard");
    assert.ok(focused.visible, "an arrow key pans the state into view");
    await page.keyboard.press("ArrowUp");
    assert.equal((await focusedState(page)).state, "IsValid");

    // Escape goes back to the row; Enter on another row moves the focus again.
    await page.keyboard.press("Escape");
    assert.ok(await row.evaluate((node) => node === document.activeElement), "back on the row");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    focused = await focusedState(page);
    assert.ok(focused.state, "Enter on a row focuses a state");
    assert.ok(focused.visible);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
