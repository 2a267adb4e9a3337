// What the practice page downloads before its first question shows, on a large site.
// Generates a site of PAGES pages with 3 questions each (20 sections, 2 of 40 tags per page plus
// a tag on every page), builds it with awskb, serves it, opens a few practice addresses in
// headless Chromium and prints, for each, the bytes of practice data (and of everything) served
// until "Question 1 of N" is on screen. Needs `npm ci` in tests/browser (playwright-core).
//
//   AWSKB_BIN=target/release/awskb node bench/practice_bench.mjs [PAGES=10000]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { awskbBinary, launch, serve } from "../tests/browser/harness.mjs";

const pages = Number(process.argv[2] || 10000);
const TAGS = ["Lambda", "S3", "DynamoDB", "EC2", "ECS", "SQS", "SNS", "EventBridge", "Kinesis", "IAM",
  "KMS", "VPC", "RDS", "Aurora", "Athena", "Glue", "EMR", "Cognito", "CloudFront", "Route 53",
  "CloudWatch", "CloudFormation", "CDK", "X-Ray", "Fargate", "EKS", "Redshift", "SageMaker", "AppSync",
  "Step Functions", "API Gateway", "Secrets Manager", "Config", "GuardDuty", "Organizations",
  "Systems Manager", "CodeBuild", "CodePipeline", "ElastiCache", "Batch"];

const question = (n, page) => `### Q${n}

**A team runs workload ${page}-${n} and must keep latency low while the traffic grows tenfold during
business hours. The data must stay encrypted and every change must be audited. Which design meets
these requirements with the least operational effort?**

1. Run the workload on instances in one Availability Zone and scale them by hand
2. Use a managed service with automatic scaling, encryption at rest and audit logging turned on
3. Copy the data to a second account every night and rotate keys by hand
4. Put the workload behind a single large instance with local disks

<details>
<summary>Explanation</summary>
<div>

**Answer: 2.** A managed service scales with the traffic, encrypts at rest and logs every change
without servers to run. The other options add manual work or a single point of failure.
</div>
</details>
`;

const dir = mkdtempSync(join(tmpdir(), "awskb-practice-bench-"));
const write = (rel, text) => {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
write("awskb.toml", 'title = "Practice bench"\nsearch = false\n');
write("content/_index.md", "---\ntitle: Home\n---\nBench.\n");
for (let s = 0; s < 20; s++) write(`content/s${s}/_index.md`, `---\ntitle: Section ${s}\n---\n`);
for (let p = 0; p < pages; p++) {
  const tags = ["AWS", TAGS[p % TAGS.length], TAGS[(p * 7 + 3) % TAGS.length]];
  write(`content/s${p % 20}/page-${p}.md`,
    `---\ntitle: Page ${p}\ntags: [${tags.map((t) => JSON.stringify(t)).join(", ")}]\n---\nNotes.\n\n## Questions\n\n` +
    [1, 2, 3].map((n) => question(n, p)).join("\n"));
}
const out = join(dir, "public");
let started = Date.now();
execFileSync(awskbBinary(), ["build", "-r", dir, "-o", out], { stdio: "inherit" });
console.log(`built ${pages} pages, ${pages * 3} questions in ${((Date.now() - started) / 1000).toFixed(1)} s`);

let served = [];
const site = await serve(out, "/", { onServe: (path, bytes) => served.push({ path, bytes }) });
const browser = await launch();
const kb = (n) => (n / 1024).toFixed(1) + " KB";
try {
  for (const address of ["practice/?n=10", "practice/?tags=Lambda&n=20", "practice/?tags=AWS&n=10", "practice/?sections=%2Fs3%2F&n=10"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    served = [];
    started = Date.now();
    await page.goto(site.url + address);
    await page.getByRole("heading", { name: /^Question 1 of/ }).waitFor();
    const ms = Date.now() - started;
    // What had arrived when practice.js marked the first question as shown.
    const before = await page.evaluate(() => {
      const shown = performance.getEntriesByName("awskb-first-question")[0].startTime;
      return performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation"))
        .filter((e) => e.responseEnd <= shown).map((e) => new URL(e.name).pathname);
    });
    const arrived = served.filter((f) => before.includes(f.path));
    const data = arrived.filter((f) => f.path.startsWith("/practice/") && f.path.endsWith(".json"));
    const sum = (files) => files.reduce((total, f) => total + f.bytes, 0);
    console.log(`${address}: first question after ${ms} ms; before it, practice data ${kb(sum(data))} in ${data.length} files ` +
      `(${data.map((f) => f.path.replace("/practice/", "") + " " + kb(f.bytes)).join(", ")}), everything ${kb(sum(arrived))}`);
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
