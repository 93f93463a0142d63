import { defineConfig } from 'vitest/config';

/** Checks on the built extension (run after `wxt build` for both browsers). */
export default defineConfig({
  test: { include: ['tests/build/**/*.test.ts'], environment: 'node' },
});
