import { defineConfig } from 'vitest/config';

/**
 * End-to-end layer: the built extension in Debian's Chromium and Firefox ESR.
 * One project per browser, their files spread over two workers (every file
 * owns its browser sessions). Two, not three: with three browsers at once on
 * a 2-core machine, a 100,000-node hostile page's own layout stalled its
 * frames past the one-second frozen-page bound. Tests in a file share a
 * session, with settings reset between tests.
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
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['default'],
    projects: [browser('chromium'), browser('firefox')],
  },
});
