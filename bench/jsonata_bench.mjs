// Times the `jsonata` npm package (the reference implementation), per evaluation, on a list of
// expressions, exactly as crates/jsonata/examples/bench.rs times awskb's crate. Driven by
// bench/jsonata_bench.py, which installs the package and compares the two.
//
//   node bench/jsonata_bench.mjs EXPRESSIONS.json SUITE_DIR NODE_PREFIX
//
// EXPRESSIONS.json is an array of {"name", "expr", "dataset"}; `dataset` names a file in
// SUITE_DIR/datasets/. NODE_PREFIX is the folder that `npm install --prefix` installed jsonata
// into (kept outside the repository, so nothing is added to it).
//
// Each expression is compiled once with jsonata(expr) and its dataset parsed once. One
// evaluation gives the result; 200 ms of evaluations warm up V8 (and estimate the time of one
// evaluation); then 5 rounds of as many evaluations as fit in about 200 ms are timed. jsonata 2.x
// evaluates asynchronously, so each evaluation is `await expression.evaluate(data)`, as
// applications call it. Prints one JSON line per expression: {"name", "us_per_eval" (the median
// of the rounds, in microseconds), "result_digest"}; an expression that fails is not timed
// (us_per_eval null, digest "error CODE").
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const WARM_UP_MS = 200;
const ROUND_MS = 200;
const ROUNDS = 5;
const DIGEST_CHARS = 100;

const [listPath, suite, prefix] = process.argv.slice(2);
if (!prefix) {
  console.error("usage: node bench/jsonata_bench.mjs EXPRESSIONS.json SUITE_DIR NODE_PREFIX");
  process.exit(2);
}
const jsonata = createRequire(join(prefix, "package.json"))("jsonata");
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** The median time of one `await evaluate()` over ROUNDS rounds, in microseconds. */
async function medianUs(evaluate) {
  let start = performance.now();
  let calls = 0;
  while (performance.now() - start < WARM_UP_MS) {
    await evaluate();
    calls += 1;
  }
  const perCall = (performance.now() - start) / calls;
  calls = Math.max(1, Math.ceil(ROUND_MS / perCall));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    start = performance.now();
    for (let i = 0; i < calls; i++) await evaluate();
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  rounds.sort((a, b) => a - b);
  return Math.round(rounds[ROUNDS >> 1] * 1000) / 1000;
}

/** Compact JSON with sorted keys and numbers rounded to 15 significant digits: see `digest`. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  if (typeof value === "number") return String(Number(value.toPrecision(15)));
  return JSON.stringify(value);
}

/**
 * The result as the Rust benchmark writes it (see `digest` in crates/jsonata/examples/bench.rs):
 * compact JSON with object keys sorted and numbers rounded to 15 significant digits, cut after
 * DIGEST_CHARS characters and then followed by its length in bytes and FNV-1a hash. The result
 * first goes through JSON, which drops the flags jsonata sets on its arrays; functions (jsonata's
 * lambdas are objects) are left out, as the Rust API leaves them out of its results.
 */
function digest(result) {
  const json = JSON.stringify(result, (_, value) =>
    typeof value === "function" || value?._jsonata_lambda || value?._jsonata_function ? undefined : value,
  );
  if (json === undefined) return "undefined";
  const text = canonical(JSON.parse(json));
  const chars = Array.from(text);
  if (chars.length <= DIGEST_CHARS) return text;
  const bytes = new TextEncoder().encode(text);
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  const head = chars.slice(0, DIGEST_CHARS).join("");
  return `${head}… (${bytes.length} bytes, fnv1a ${hash.toString(16).padStart(8, "0")})`;
}

for (const { name, expr, dataset } of readJson(listPath)) {
  const data = readJson(join(suite, "datasets", dataset));
  let line;
  try {
    const expression = jsonata(expr);
    const result = await expression.evaluate(data);
    const us = await medianUs(() => expression.evaluate(data));
    line = { name, us_per_eval: us, result_digest: digest(result) };
  } catch (error) {
    line = { name, us_per_eval: null, result_digest: `error ${error.code ?? error}` };
  }
  console.log(JSON.stringify(line));
}
