/**
 * `npm test`: every layer, in the order that fails fastest.
 *
 *   format + lint + typecheck → unit (Node) and browser layer (content-script
 *   parts in Chromium) → build both browsers, release and e2e → bundle checks
 *   and web-ext lint → end-to-end in Chromium and Firefox
 *
 * Stops at the first failing stage and exits non-zero. A missing browser is a
 * failure (the e2e harness names the install command), never a skip.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { corpus, CORPUS_ENV } from './lib/corpus';

interface Step {
  name: string;
  /** An npm script from package.json: one source for every command. */
  script: string;
}

/**
 * Stages run in order; the steps of one stage run at the same time, on a
 * 2-core machine wherever that is shorter than one after the other:
 * - the static checks are one single-threaded process each: together they
 *   take about as long as typecheck alone;
 * - the unit and browser layers took 14.5 s and 12.5 s alone, 17 s together
 *   (the browser layer mostly waits on its browser);
 * - the release and e2e builds took 25.6 s and 23.4 s alone, 37.5 s together.
 *   They write separate output folders, and the files they share under .wxt/
 *   are the same for both and rewritten only when they differ.
 */
const STAGES: Step[][] = [
  [
    { name: 'format', script: 'format:check' },
    { name: 'lint', script: 'lint' },
    { name: 'typecheck', script: 'typecheck' },
  ],
  [
    { name: 'unit tests', script: 'test:unit' },
    { name: 'browser tests (content-script parts in Chromium)', script: 'test:browser' },
  ],
  [
    { name: 'build (Chromium and Firefox)', script: 'build' },
    { name: 'e2e build (Chromium and Firefox)', script: 'build:e2e' },
  ],
  [
    { name: 'bundle checks', script: 'test:build' },
    { name: 'web-ext lint (Firefox build)', script: 'lint:firefox' },
  ],
  [{ name: 'end-to-end tests', script: 'test:e2e' }],
];

const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
for (const step of STAGES.flat()) if (!scripts[step.script]) throw new Error(`package.json has no "${step.script}" script`);

interface Outcome {
  step: Step;
  code: number | string;
  seconds: string;
  /** Captured output (steps that ran beside others); empty when it went straight to the terminal. */
  output: string;
}

/** Runs one step: alone, its output streams; beside others, it is kept and printed whole when the step ends. */
function run(step: Step, alone: boolean): Promise<Outcome> {
  if (alone) console.log(`\n▶ ${step.name}: npm run ${step.script}  (${scripts[step.script]})`);
  const t0 = Date.now();
  const child = spawn('npm', ['run', '--silent', step.script], {
    stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const done = (code: number | string) => resolve({ step, code, seconds: ((Date.now() - t0) / 1000).toFixed(1), output });
    child.on('error', (error) => done(error.message));
    child.on('close', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
}

const outside = corpus();
const parts = (['seeds', 'real-pages'] as const).filter((part) => !outside.has(part));
console.log(
  parts.length
    ? `Outside corpus: ${parts.join(' and ')} not found at ${outside.dir}; the suites that read them are skipped (each says so). Set ${CORPUS_ENV}=/path/to/shared to run them.`
    : `Outside corpus: ${outside.dir}${outside.required ? ' (required)' : ''}`,
);

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const started = Date.now();
for (const stage of STAGES) {
  const steps = stage.filter((step) => !only.length || only.some((o) => step.name.includes(o) || step.script === o));
  if (!steps.length) continue;
  if (steps.length > 1) console.log(`\n▶ at once: ${steps.map((step) => `${step.name} (npm run ${step.script})`).join(', ')}`);
  const outcomes = await Promise.all(steps.map((step) => run(step, steps.length === 1)));
  for (const { step, code, seconds, output } of outcomes) {
    if (steps.length > 1) console.log(`\n▶ ${step.name}: npm run ${step.script}  (${scripts[step.script]})\n${output.trimEnd()}`);
    if (code === 0) {
      passed++;
      console.log(`✔ ${step.name} (${seconds} s)`);
    } else {
      failed++;
      console.error(`✖ ${step.name} failed (exit ${code}) after ${seconds} s`);
    }
  }
  if (failed) break;
}
console.log(`\nnpm test: ${passed} steps passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
