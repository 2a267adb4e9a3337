// The playground's editor (CodeMirror 6, bundled in static/js/vendor/codemirror.js) as a
// reader uses it: line numbers, the engine's diagnostics as gutter marks, underlines and hover
// messages, selection kept in step with the diagram, and completion of state and field names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { repo } from "./harness.mjs";
import { openPage, setDefinition, siteAndBrowser } from "./pages.mjs";

const env = siteAndBrowser(repo);

async function playground() {
  const { page, errors } = await openPage(env, "playground/");
  await page.waitForSelector(".asl-editor .cm-content");
  await page.waitForSelector(".asl-canvas svg");
  return { page, errors };
}

/** The editor's text and selection, through CodeMirror's own view of it. */
function editorState(page) {
  return page.evaluate(() => {
    const view = window.awskbCodeMirror.EditorView.findFromDOM(document.querySelector(".cm-editor"));
    const { from, to } = view.state.selection.main;
    return { text: view.state.doc.toString(), from, to, selected: view.state.sliceDoc(from, to) };
  });
}

/** Puts the cursor at `offset`, as a click there would. */
function moveCursor(page, offset) {
  return page.evaluate((at) => {
    const view = window.awskbCodeMirror.EditorView.findFromDOM(document.querySelector(".cm-editor"));
    view.focus();
    view.dispatch({ selection: { anchor: at }, userEvent: "select.pointer", scrollIntoView: true });
    view.dom.scrollIntoView({ block: "nearest" });
  }, offset);
}

const BROKEN = `{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Nowhere" },
    "B": { "Type": "Succeed" }
  }
}`;

test("line numbers, and an error marked at its line with an underline and a hover message", async () => {
  const { page, errors } = await playground();
  const numbers = await page.locator(".cm-lineNumbers .cm-gutterElement").allTextContents();
  assert.ok(numbers.includes("1") && numbers.includes("20"), numbers.join(","));
  assert.match(await page.locator(".cm-editor .cm-line").first().evaluate((l) => getComputedStyle(l).fontFamily), /mono/i);

  await setDefinition(page, BROKEN);
  const underline = page.locator(".cm-lintRange-error").first();
  await underline.waitFor();
  assert.equal(await underline.textContent(), '"Nowhere"');
  // The gutter mark sits on line 4, where the problem is.
  const marker = await page.locator(".cm-lint-marker-error").first().boundingBox();
  const line4 = await page.locator(".cm-editor .cm-line").nth(3).boundingBox();
  assert.ok(Math.abs(marker.y + marker.height / 2 - (line4.y + line4.height / 2)) < line4.height / 2, `${marker.y} vs ${line4.y}`);
  await underline.hover();
  const tooltip = page.locator(".cm-tooltip-lint");
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /Nowhere/);
  assert.match(await tooltip.textContent(), /MISSING_TRANSITION_TARGET/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("JSON and YAML are both highlighted, with brackets matched and folding", async () => {
  const { page } = await playground();
  const key = page.locator(".cm-line .asl-code-key").first();
  assert.equal(await key.textContent(), '"Comment"');
  const keyColour = await key.evaluate((k) => getComputedStyle(k).color);
  const stringColour = await page.locator(".cm-line .asl-code-string").first().evaluate((k) => getComputedStyle(k).color);
  assert.notEqual(keyColour, stringColour);
  assert.ok(await page.locator(".cm-foldGutter .cm-gutterElement span").count() > 0, "fold markers");
  const text = await page.locator("#_asl-definition").inputValue();
  await moveCursor(page, text.indexOf('"Choices": [') + '"Choices": ['.length);
  assert.equal(await page.locator(".cm-matchingBracket").count(), 2);

  await setDefinition(page, "StartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    End: true\n");
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Hello"]');
  assert.equal(await page.locator(".cm-line .asl-code-key").first().textContent(), "StartAt");
  await page.close();
});

test("picking a state in the diagram selects its definition, and the cursor picks the state", async () => {
  const { page } = await playground();
  await page.locator('g.asl-state[data-state="Charge"]').click();
  const state = await editorState(page);
  assert.match(state.selected, /^"Charge": \{\n\s+"Type": "Task"/);
  assert.match(state.selected, /"Next": "ShipItems"\n\s+\}$/);
  const inView = await page.locator(".cm-selectionBackground").first().evaluate((s) => {
    const box = s.getBoundingClientRect();
    const view = s.closest(".cm-scroller").getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
  assert.ok(inView, "the selection is scrolled into view");

  const at = state.text.indexOf('"ItemsPath"');
  await moveCursor(page, at);
  await page.waitForSelector('g.asl-state.asl-selected[data-state="ShipItems"]');
  await moveCursor(page, state.text.indexOf('"shipped"'));
  await page.waitForSelector('g.asl-state.asl-selected[data-state="Ship"]');
  assert.equal(await page.locator("g.asl-state.asl-selected").count(), 1);
  await page.close();
});

test("completion offers the state names after Next and the fields a state's type accepts", async () => {
  const { page, errors } = await playground();
  const text = `{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B" },
    "B": { "Type": "Pass", "Next": "Done" },
    "Done": { "Type": "Succeed" }
  }
}`;
  await setDefinition(page, text);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Done"]');
  // Retarget A's Next: select the name and ask for completions.
  const from = text.indexOf('"B" }') ;
  await page.evaluate(([a, b]) => {
    const view = window.awskbCodeMirror.EditorView.findFromDOM(document.querySelector(".cm-editor"));
    view.focus();
    view.dispatch({ changes: { from: a, to: b, insert: '"' }, selection: { anchor: a + 1 }, userEvent: "input.type" });
  }, [from, from + 3]);
  await page.keyboard.press("Control+Space");
  const options = page.locator(".cm-tooltip-autocomplete li");
  await options.first().waitFor();
  const names = await options.allTextContents();
  for (const name of ["A", "B", "Done"]) assert.ok(names.some((n) => n.startsWith(name)), names.join("|"));
  await page.keyboard.type("Do");
  await page.waitForFunction(() => document.querySelector(".cm-tooltip-autocomplete li[aria-selected]")?.textContent.startsWith("Done"));
  await page.keyboard.press("Enter");
  assert.match((await editorState(page)).text, /"Next": "Done" \}/);

  // Field names: typing a new key inside the Task offers the fields a Task accepts (the
  // editor closes the quote as it is typed).
  const now = (await editorState(page)).text;
  await moveCursor(page, now.indexOf('"Type": "Task",') + '"Type": "Task",'.length);
  await page.mouse.move(0, 0); // no problem's hover message over the list
  await page.keyboard.type(' "Ret');
  await options.first().waitFor();
  const fields = await options.allTextContents();
  assert.ok(fields.some((f) => f.startsWith("Retry")), fields.join("|"));
  assert.ok(!fields.some((f) => f.startsWith("Seconds")), "a Wait's field is not offered in a Task");
  await page.locator(".cm-tooltip-autocomplete li", { hasText: /^Retry/ }).click();
  assert.match((await editorState(page)).text, /"Type": "Task", "Retry": +"Resource"/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("share links in both forms open in the editor", async () => {
  const definition = "StartAt: Only\nStates:\n  Only:\n    Type: Succeed\n";
  const raw = Buffer.from(JSON.stringify({ definition, input: "{}", mocks: "" })).toString("base64url");
  const { page } = await playground();
  await page.goto(env.site.url + "playground/#asl-raw=" + raw);
  await page.waitForSelector('.asl-canvas g.asl-state[data-state="Only"]');
  assert.equal((await editorState(page)).text, definition);
  await page.close();
});
