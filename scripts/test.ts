/**
 * `npm test`: every layer, in the order that fails fastest.
 *
 *   format → lint → typecheck → unit (Node) → browser layer (content-script parts in
 *   Chromium) → build both browsers → bundle checks and web-ext lint → e2e
 *   build → end-to-end in Chromium and Firefox
 *
 * Stops at the first failing step and exits non-zero. A missing browser is a
 * failure (the e2e harness names the install command), never a skip.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { corpus, CORPUS_ENV } from './lib/corpus';

/** Each step is an npm script from package.json: one source for every command. */
const STEPS: { name: string; script: string }[] = [
  { name: 'format', script: 'format:check' },
  { name: 'lint', script: 'lint' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'unit tests', script: 'test:unit' },
  { name: 'browser tests (content-script parts in Chromium)', script: 'test:browser' },
  { name: 'build (Chromium and Firefox)', script: 'build' },
  { name: 'bundle checks', script: 'test:build' },
  { name: 'web-ext lint (Firefox build)', script: 'lint:firefox' },
  { name: 'e2e build (Chromium and Firefox)', script: 'build:e2e' },
  { name: 'end-to-end tests', script: 'test:e2e' },
];

const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
for (const step of STEPS) if (!scripts[step.script]) throw new Error(`package.json has no "${step.script}" script`);

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
for (const step of STEPS) {
  if (only.length && !only.some((o) => step.name.includes(o) || step.script === o)) continue;
  console.log(`\n▶ ${step.name}: npm run ${step.script}  (${scripts[step.script]})`);
  const t0 = Date.now();
  const result = spawnSync('npm', ['run', '--silent', step.script], { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status === 0) {
    passed++;
    console.log(`✔ ${step.name} (${seconds} s)`);
  } else {
    failed++;
    console.error(`✖ ${step.name} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
    break;
  }
}
console.log(`\nnpm test: ${passed} steps passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
