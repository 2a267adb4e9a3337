// The browser engine (static/asl/asl.wasm) outside the browser: Node runs the same V8 as
// Chromium. Prints the file's size and medians of each operation on the demo practice page's
// state machine, and of a runaway loop stopped at the panel's budget and at the CLI's default.
//
//   node bench/wasm_bench.mjs
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bytes = readFileSync(join(repo, "static/asl/asl.wasm"));
const { instance } = await WebAssembly.instantiate(bytes, {});
const engine = instance.exports;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One operation of crates/asl-wasm's C ABI, JSON in and out. */
function call(operation, request) {
  const text = encoder.encode(JSON.stringify(request));
  const pointer = engine.asl_alloc(text.length);
  new Uint8Array(engine.memory.buffer, pointer, text.length).set(text);
  const out = engine[`asl_${operation}`](pointer, text.length);
  return JSON.parse(decoder.decode(new Uint8Array(engine.memory.buffer, out, engine.asl_response_len())));
}

function median(work, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1].toFixed(2);
}

const page = readFileSync(join(repo, "content/aws/step-functions/introduction-aws-step-functions.md"), "utf8");
const practice = page.split("```asl")[1].split("\n").slice(1).join("\n").split("```")[0];
const loop = JSON.stringify({
  StartAt: "A",
  States: {
    A: { Type: "Pass", Next: "B" },
    B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "C" }], Default: "A" },
    C: { Type: "Succeed" },
  },
});

function execute(definition, maxTransitions) {
  const started = call("start", { definition, input: '{"orderId": "o-1", "total": 5}', maxTransitions });
  const ran = call("run", { id: started.id });
  call("drop", { id: started.id });
  return ran;
}

console.log(`asl.wasm: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
console.log(`validate, practice page: ${median(() => call("validate", { definition: practice }), 21)} ms`);
console.log(`render, practice page: ${median(() => call("render", { definition: practice }), 21)} ms`);
console.log(`start + run, practice page: ${median(() => execute(practice), 21)} ms`);
for (const budget of [1000, 10000]) {
  const events = execute(loop, budget).events.length;
  console.log(`runaway loop, ${budget} transitions (${events} events): ${median(() => execute(loop, budget), 5)} ms`);
}
