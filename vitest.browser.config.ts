import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './scripts/lib/chromium';

/**
 * Browser layer: the content script's parts (collect, scanner, painter,
 * hover) against a real DOM in Debian's Chromium, without building or
 * loading the extension. Between the Node unit tests and the end-to-end runs.
 */
export default defineConfig({
  resolve: { alias: { '@': resolve(import.meta.dirname) } },
  test: {
    include: ['tests/browser/**/*.test.ts'],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
