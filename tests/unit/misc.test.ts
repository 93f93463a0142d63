import { describe, expect, it } from 'vitest';
import { badgeText } from '../../lib/badge';
import { restrictedReason } from '../../lib/restricted';

describe('badgeText', () => {
  it('is empty for none and caps at 99+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(Number.NaN)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});

describe('restrictedReason', () => {
  it('names pages where extensions cannot run', () => {
    expect(restrictedReason('chrome://settings')).toBe('restrictedBrowserPage');
    expect(restrictedReason('about:addons')).toBe('restrictedBrowserPage');
    expect(restrictedReason('https://chromewebstore.google.com/detail/x')).toBe('restrictedStore');
    expect(restrictedReason('https://addons.mozilla.org/en-US/firefox/')).toBe('restrictedStore');
    expect(restrictedReason('https://example.com/report.pdf')).toBe('restrictedPdf');
    expect(restrictedReason('https://example.com/news')).toBe('');
  });
});
