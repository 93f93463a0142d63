import { defineConfig } from 'vitest/config';

/**
 * End-to-end layer: the built extension in Debian's Chromium and Firefox ESR.
 * One project per browser, their files spread over two workers. Two, not
 * three: with three browsers at once on a 2-core machine, a 100,000-node
 * hostile page's own layout stalled its frames past the one-second
 * frozen-page bound. Tests in a file share a session, with settings reset
 * between tests; a session with the default options goes on to the worker's
 * next file (tests/e2e/fixtures.ts).
 */
const browser = (name: 'chromium' | 'firefox') => ({
  extends: true as const,
  test: { name, env: { E2E_BROWSER: name } },
});

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: true,
    maxWorkers: 2,
    // Files share their worker's module cache: playwright-core, puppeteer-core
    // and the harness load once per worker instead of once per file (about 45 s
    // of imports in a run). The test site, and sessions with the default
    // options, outlive a file too (tests/e2e/fixtures.ts).
    isolate: false,
    // A temporary folder for the browsers' profiles, removed when the run ends.
    globalSetup: ['tests/e2e/harness/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['default'],
    projects: [browser('chromium'), browser('firefox')],
  },
});
