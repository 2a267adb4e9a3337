// Runs a state machine definition with aws-local-stepfunctions and prints timings as JSON.
//
//   node run.mjs DEFINITION.json INPUT_JSON [RUNS] [WARMUPS]
//
// Driven by bench/asl_simulate.py. The definition is validated once (the StateMachine
// constructor), then executed WARMUPS times untimed (the first of which also counts the
// StateEntered events, i.e. the state transitions) and RUNS times timed with performance.now().
// Prints one JSON object: versions, validate_ms, run_ms (one per timed run), transitions, output.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionPath, inputText, runsText = '5', warmupsText = '1'] = process.argv.slice(2);
if (!definitionPath || inputText === undefined) {
  console.error('usage: node run.mjs DEFINITION.json INPUT_JSON [RUNS] [WARMUPS]');
  process.exit(2);
}
const runs = Number.parseInt(runsText, 10);
const warmups = Math.max(1, Number.parseInt(warmupsText, 10));
const definition = JSON.parse(readFileSync(definitionPath, 'utf8'));
const input = JSON.parse(inputText);
const version = JSON.parse(
  readFileSync(new URL('./node_modules/aws-local-stepfunctions/package.json', import.meta.url), 'utf8'),
).version;

let started = performance.now();
const machine = new StateMachine(definition);
const validateMs = performance.now() - started;

// Untimed: count the transitions by reading the event log (reading it slows the run down).
async function countingRun() {
  const execution = machine.run(input);
  let transitions = 0;
  const counted = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') transitions += 1;
    }
  })();
  const output = await execution.result;
  await counted;
  return { output, transitions };
}

const { output, transitions } = await countingRun();
for (let i = 1; i < warmups; i += 1) {
  await machine.run(input).result;
}

const runMs = [];
let last;
for (let i = 0; i < runs; i += 1) {
  started = performance.now();
  last = await machine.run(input).result;
  runMs.push(performance.now() - started);
}
if (runs > 0 && JSON.stringify(last) !== JSON.stringify(output)) {
  console.error('timed run gave a different output from the counting run');
  process.exit(1);
}

console.log(
  JSON.stringify({
    engine: 'aws-local-stepfunctions',
    version,
    node: process.version,
    validate_ms: validateMs,
    run_ms: runMs,
    transitions,
    output,
  }),
);
