import { defineConfig } from 'vitest/config';

/**
 * End-to-end layer: the built extension in Debian's Chromium and Firefox ESR.
 * One project per browser; the two run side by side (two workers, one file
 * each, every file owns its browser sessions). Tests in a file share a
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
