/**
 * `npm test`: every layer, in the order that fails fastest.
 *
 *   lint → typecheck → unit (Node) → build both browsers → bundle checks and
 *   web-ext lint → e2e build → end-to-end in Chromium and Firefox
 *
 * Stops at the first failing step and exits non-zero. A missing browser is a
 * failure (the e2e harness names the install command), never a skip.
 */
import { spawnSync } from 'node:child_process';

interface Step {
  name: string;
  cmd: string;
  args: string[];
}

const npx = (...args: string[]): Pick<Step, 'cmd' | 'args'> => ({ cmd: 'npx', args: ['--no-install', ...args] });

const steps: Step[] = [
  { name: 'lint', ...npx('eslint', '.') },
  { name: 'typecheck (browser code)', ...npx('tsc', '--noEmit', '-p', 'tsconfig.json') },
  { name: 'typecheck (tests and scripts)', ...npx('tsc', '--noEmit', '-p', 'tsconfig.node.json') },
  { name: 'unit tests', ...npx('vitest', 'run') },
  { name: 'build (Chromium)', ...npx('wxt', 'build') },
  { name: 'build (Firefox)', ...npx('wxt', 'build', '-b', 'firefox') },
  { name: 'bundle checks', ...npx('vitest', 'run', '-c', 'vitest.build.config.ts') },
  { name: 'web-ext lint (Firefox build)', ...npx('web-ext', 'lint', '--source-dir', '.output/firefox-mv3', '--self-hosted', '--no-config-discovery') },
  { name: 'e2e build (Chromium)', ...npx('wxt', 'build', '--mode', 'e2e') },
  { name: 'e2e build (Firefox)', ...npx('wxt', 'build', '--mode', 'e2e', '-b', 'firefox') },
  { name: 'end-to-end tests', ...npx('vitest', 'run', '-c', 'vitest.e2e.config.ts') },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const started = Date.now();
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.includes(o))) continue;
  console.log(`\n▶ ${step.name}: ${step.cmd} ${step.args.join(' ')}`);
  const t0 = Date.now();
  const result = spawnSync(step.cmd, step.args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
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
