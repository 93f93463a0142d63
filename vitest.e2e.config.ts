import { defineConfig } from 'vitest/config';

/**
 * End-to-end layer: the built extension in Debian's Chromium and Firefox ESR.
 * Files run one at a time (two cores; each file owns its browsers); tests in a
 * file share a browser session.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
