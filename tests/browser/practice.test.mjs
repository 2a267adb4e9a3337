// The practice exam at /practice/, taken as a reader: a shared address starts a set, each
// question is checked and the exam runs to its score with a breakdown by tag and the missed
// questions linked; "Review my mistakes" brings the missed ones back, latest first; the setup
// form makes a shareable address; a timed exam shows its clock; only the data the set needs
// is downloaded.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { buildSite, launch, openPage, serve, writeSite } from "./harness.mjs";

/** A question whose first option is wrong and second right. */
const question = (n, topic) => `### Q${n}

Which answer about ${topic} number ${n} is right?

1. Wrong about ${topic} ${n}
2. Right about ${topic} ${n}

<details><summary>Explanation</summary>

Answer: 2

</details>
`;

const pages = {
  "awskb.toml": 'title = "Practice fixture"\n',
  "content/_index.md": "---\ntitle: Home\n---\nNotes.\n",
  "content/aws/_index.md": "---\ntitle: AWS\n---\n",
  "content/aws/lambda.md": `---\ntitle: Lambda\ntags: [Lambda, Serverless]\n---\nFunctions.\n\n## Questions\n\n${question(1, "Lambda")}\n${question(2, "Lambda")}`,
  "content/aws/sqs.md": `---\ntitle: SQS\ntags: [SQS]\n---\nQueues.\n\n## Questions\n\n${question(1, "SQS")}`,
};

let browser, site, dir;
const served = [];

before(async () => {
  dir = writeSite(pages);
  browser = await launch();
  site = await serve(buildSite(dir), "/", { onServe: (path) => served.push(path) });
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Answers the question shown with its first (wrong) option and moves on. */
async function answerWrong(page, { flag = false } = {}) {
  const group = page.getByRole("group", { name: /Which answer about/ });
  const stem = (await group.getByText(/Which answer about/).innerText()).trim();
  await group.getByRole("radio", { name: /^1\. Wrong/ }).check();
  await group.getByRole("button", { name: "Check" }).click();
  await group.getByRole("status").filter({ hasText: "Incorrect" }).waitFor();
  if (flag) await page.getByRole("checkbox", { name: "Flag for review" }).check();
  return stem;
}

test("a shared address runs an exam to its score; review my mistakes brings them back", async () => {
  const { context, page, problems } = await openPage(browser);
  served.length = 0;
  await page.goto(site.url + "practice/?tags=Lambda&n=2");
  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  // Only the index, the Lambda set and the one chunk of questions were downloaded.
  const data = served.filter((p) => p.startsWith("/practice/") && p.endsWith(".json"));
  assert.deepEqual(data.filter((p) => !p.startsWith("/practice/q/")).sort(), ["/practice/index.json", data.find((p) => p.startsWith("/practice/sets/"))]);

  const first = await answerWrong(page, { flag: true });
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 2" }).waitFor();
  const second = await answerWrong(page);
  assert.notEqual(first, second);
  assert.match(first + second, /Lambda number 1/);
  assert.match(first + second, /Lambda number 2/);
  await page.getByRole("button", { name: "See my score" }).click();

  await page.getByRole("heading", { name: "0 of 2 correct" }).waitFor();
  const breakdown = page.getByRole("table", { name: "By tag" });
  assert.equal(await breakdown.getByRole("row", { name: /Lambda/ }).getByRole("cell").innerText(), "0 of 2");
  const missed = page.getByRole("region", { name: "Missed questions" }).getByRole("link");
  assert.equal(await missed.count(), 2);
  assert.match(await missed.first().getAttribute("href"), /^\/aws\/lambda\/#q[12]$/);
  const flagged = page.getByRole("region", { name: "Flagged for review" }).getByRole("link");
  assert.equal(await flagged.innerText(), first);

  await page.getByRole("button", { name: "Review my mistakes" }).click();
  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  const group = page.getByRole("group", { name: /Which answer about/ });
  assert.equal((await group.getByText(/Which answer about/).innerText()).trim(), second, "the latest mistake comes first");
  await group.getByRole("radio", { name: /^2\. Right/ }).check();
  await group.getByRole("button", { name: "Check" }).click();
  await group.getByRole("status").filter({ hasText: "Correct." }).waitFor();

  // The question's page shows the answer given in the exam.
  await page.goto(site.url + "aws/lambda/");
  assert.match(await page.getByRole("region", { name: "Your progress on this page" }).innerText(), /2 of 2 answered, 1 correct/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the setup form makes a shareable address; a timed exam shows its clock", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(site.url + "practice/");
  await page.getByRole("main").getByText("Tags", { exact: true }).first().click();
  await page.getByRole("checkbox", { name: "SQS (1)" }).check();
  await page.getByRole("spinbutton", { name: "Questions" }).fill("5");
  await page.getByRole("checkbox", { name: /Timed/ }).check();
  await page.getByRole("button", { name: "Start" }).click();
  await page.getByRole("heading", { name: "Question 1 of 1" }).waitFor();
  const address = new URL(page.url());
  assert.deepEqual([address.searchParams.getAll("tags"), address.searchParams.get("n"), address.searchParams.get("timed")], [["SQS"], "5", "1"]);
  assert.match(await page.getByRole("timer").innerText(), /^Time left: 1:(30|29|28)$/);
  assert.match(await page.getByRole("group", { name: /Which answer about/ }).innerText(), /SQS number 1/);
  assert.deepEqual(problems, []);
  await context.close();
});
