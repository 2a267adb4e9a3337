// Questions in a page, answered as a reader does: the demo site's Step Functions question
// (the sample page's form), a task-list question with several answers, an explicit question
// with per-option explanations, progress after a reload and on the section page, and the page
// without JavaScript.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { buildSite, launch, openPage, repo, serve, writeSite } from "./harness.mjs";

const pages = {
  "awskb.toml": 'title = "Questions fixture"\n',
  "content/_index.md": "---\ntitle: Home\n---\nNotes.\n",
  "content/aws/_index.md": "---\ntitle: AWS\n---\nThe services.\n",
  "content/aws/queues.md": `---
title: Queues
tags: [Messaging]
---
Queues and topics.

## Questions

### Question 1

Which services deliver messages? (Choose two.)

- [ ] Amazon EC2
- [x] Amazon SQS
- [x] Amazon SNS
- [ ] Amazon EBS

### How long does SQS keep a message by default? {#sqs-retention .question}

- [ ] 1 day
  > One day is not the default.
- [x] 4 days
  > Four days, adjustable from one minute to fourteen days.
- [ ] 14 days
  > Fourteen days is the longest you can set.

## Exam collection

1. Which service sends one message to many subscribers?

    - A. Amazon SQS
    - B. Amazon SNS

    <details><summary>Answer</summary>

    Correct answer: B

    </details>
`,
};

let browser, demo, fixture, dir;

before(async () => {
  dir = writeSite(pages);
  browser = await launch();
  demo = await serve(buildSite(repo));
  fixture = await serve(buildSite(dir));
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await fixture?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const colour = (locator, property) => locator.evaluate((el, p) => getComputedStyle(el)[p], property);

test("a wrong answer says incorrect and marks option 3; the right one says correct; a reload keeps it", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(demo.url + "aws/step-functions/");
  const question = page.getByRole("group", { name: /feedback form to a website/ });
  await question.getByRole("radio", { name: "Asynchronous Express Workflow" }).check();
  await question.getByRole("button", { name: "Check" }).click();
  const verdict = question.getByRole("status");
  await assert.doesNotReject(verdict.filter({ hasText: "Incorrect" }).waitFor());
  assert.match(await verdict.innerText(), /^Incorrect\. The right answer is 3\. Synchronous Express Workflow\.$/);
  // The right option and the chosen wrong one say so in words, and look different.
  const right = question.getByText("Correct answer", { exact: true });
  const wrong = question.getByText("Your answer: incorrect", { exact: true });
  assert.ok(await right.isVisible());
  assert.ok(await wrong.isVisible());
  const rightLabel = question.locator("label", { has: page.getByRole("radio", { name: "3. Synchronous Express Workflow", exact: true }) });
  const wrongLabel = question.locator("label", { has: page.getByRole("radio", { name: "Asynchronous Express Workflow" }) });
  const [rightBorder, wrongBorder] = [await colour(rightLabel, "borderTopColor"), await colour(wrongLabel, "borderTopColor")];
  assert.notEqual(rightBorder, wrongBorder);
  const [r, g] = rightBorder.match(/\d+/g).map(Number);
  assert.ok(g > r, `the right option is green: ${rightBorder}`);
  const [wr, wg] = wrongBorder.match(/\d+/g).map(Number);
  assert.ok(wr > wg, `the chosen wrong option is red: ${wrongBorder}`);
  // The explanation opened.
  assert.ok(await page.locator("details", { hasText: "synchronous-express-workflows" }).evaluate((d) => d.open));
  assert.ok(await question.getByRole("radio", { name: "2. Standard Workflow", exact: true }).isDisabled());

  await question.getByRole("button", { name: "Try again" }).click();
  assert.ok(await question.getByRole("radio", { name: "2. Standard Workflow", exact: true }).isEnabled());
  await question.getByRole("radio", { name: "3. Synchronous Express Workflow", exact: true }).check();
  await question.getByRole("button", { name: "Check" }).click();
  await verdict.filter({ hasText: "Correct." }).waitFor();
  assert.equal(await verdict.innerText(), "Correct.");
  assert.match(await page.getByRole("region", { name: "Your progress on this page" }).innerText(), /1 of 1 answered, 1 correct/);

  await page.reload();
  const again = page.getByRole("group", { name: /feedback form to a website/ });
  assert.equal(await again.getByRole("status").innerText(), "Correct.");
  assert.ok(await again.getByRole("radio", { name: "3. Synchronous Express Workflow", exact: true }).isChecked());
  assert.ok(await again.getByRole("button", { name: "Try again" }).isVisible());

  await page.getByRole("button", { name: "Reset this page's answers" }).click();
  assert.match(await page.getByRole("region", { name: "Your progress on this page" }).innerText(), /0 of 1 answered, 0 correct/);
  assert.ok(await again.getByRole("button", { name: "Check" }).isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test("a task list question with two right options uses checkboxes; explicit questions explain each option", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(fixture.url + "aws/queues/");
  const several = page.getByRole("group", { name: /Which services deliver messages/ });
  assert.equal(await several.getByRole("checkbox").count(), 4, "the written checkboxes give nothing away");
  assert.equal(await several.getByRole("checkbox", { checked: true }).count(), 0);
  await several.getByRole("checkbox", { name: "Amazon SQS" }).check();
  await several.getByRole("button", { name: "Check" }).click();
  await several.getByRole("status").filter({ hasText: "Incorrect" }).waitFor();
  assert.match(await several.getByRole("status").innerText(), /Amazon SQS; Amazon SNS/);
  await several.getByRole("button", { name: "Try again" }).click();
  await several.getByRole("checkbox", { name: "Amazon SQS" }).check();
  await several.getByRole("checkbox", { name: "Amazon SNS" }).check();
  await several.getByRole("button", { name: "Check" }).click();
  await several.getByRole("status").filter({ hasText: "Correct." }).waitFor();

  const explicit = page.getByRole("group", { name: "How long does SQS keep a message by default?" });
  const why = explicit.getByText("Four days, adjustable");
  assert.equal(await why.isVisible(), false, "explanations wait for Check");
  await explicit.getByRole("radio", { name: "4 days", exact: true }).check();
  await explicit.getByRole("button", { name: "Check" }).click();
  await explicit.getByRole("status").filter({ hasText: "Correct." }).waitFor();
  assert.ok(await why.isVisible());
  assert.ok(await explicit.getByText("Fourteen days is the longest").isVisible());
  // A question written as an item of a numbered list, with lettered options.
  const nested = page.getByRole("group", { name: "Which service sends one message to many subscribers?" });
  await nested.getByRole("radio", { name: "A. Amazon SQS" }).check();
  await nested.getByRole("button", { name: "Check" }).click();
  await nested.getByRole("status").filter({ hasText: "Incorrect" }).waitFor();
  assert.equal(await nested.getByRole("status").innerText(), "Incorrect. The right answer is B. Amazon SNS.");
  assert.match(await page.getByRole("region", { name: "Your progress on this page" }).innerText(), /3 of 3 answered, 2 correct/);

  // The section and the tag page show how far the reader is.
  await page.goto(fixture.url + "aws/");
  const progress = page.getByText(/Questions in this section:/);
  await progress.waitFor();
  assert.match(await progress.innerText(), /3 of 3 answered, 2 correct/);
  await page.goto(fixture.url + "tags/messaging/");
  await page.getByText(/Questions in this list: 3 of 3 answered, 2 correct/).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("without JavaScript the page reads as written", async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(demo.url + "aws/step-functions/");
  assert.equal(await page.getByRole("radio").count(), 0);
  assert.equal(await page.getByRole("button", { name: "Check" }).count(), 0);
  const options = page.locator("main ol").filter({ hasText: "Synchronous Express Workflow" }).getByRole("listitem");
  assert.deepEqual(await options.allInnerTexts(), [
    "Asynchronous Express Workflow",
    "Standard Workflow",
    "Synchronous Express Workflow",
    "Standard Express Workflow",
  ]);
  const explanation = page.locator("details", { hasText: "Explanation" });
  assert.equal(await explanation.evaluate((d) => d.open), false);
  await page.getByText("Explanation", { exact: true }).click();
  assert.equal((await explanation.locator("mark").innerText()).trim(), "3");
  await context.close();
});
