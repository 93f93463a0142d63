import { defineConfig } from 'vitest/config';

/**
 * End-to-end layer: the built extension in Debian's Chromium and Firefox ESR.
 * One project per browser, their files spread over three workers (every file
 * owns its browser sessions). Much of an e2e test is waiting (hover delays,
 * scans settling), so three browsers at once on a 2-core machine finish
 * sooner than two without starving one another; nothing in the suite gates
 * on a timing tighter than a second. Tests in a file share a session, with
 * settings reset between tests.
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
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['default'],
    projects: [browser('chromium'), browser('firefox')],
  },
});
