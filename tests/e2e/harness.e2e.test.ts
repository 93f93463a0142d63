/** The harness itself: a missing browser is a failure that says how to install it, never a skip. */
import { describe, expect, it } from 'vitest';
import { requireBrowser } from './harness/browsers';

describe('a missing browser', () => {
  it.each([
    ['chromium', /Install it with: sudo apt-get update && sudo apt-get install -y chromium$/],
    ['firefox', /Install it with: sudo apt-get update && sudo apt-get install -y firefox-esr$/],
  ] as const)('%s: fails with the install command', (kind, message) => {
    expect(() => requireBrowser(kind, '/nonexistent/browser')).toThrow(message);
  });
});
