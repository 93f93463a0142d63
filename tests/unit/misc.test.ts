import { describe, expect, it } from 'vitest';
import { badgeText } from '../../lib/badge';
import { restrictedReason } from '../../lib/restricted';
import { nextBatchChars, SLICE_MS } from '../../entrypoints/content/schedule';

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

describe('nextBatchChars', () => {
  const max = 8192;
  it('halves a batch that took over half a slice, down to the floor', () => {
    expect(nextBatchChars(8192, SLICE_MS, max)).toBe(4096);
    expect(nextBatchChars(1024, SLICE_MS * 5, max)).toBe(1024);
  });
  it('doubles a quick batch, up to the most', () => {
    expect(nextBatchChars(2048, 0.1, max)).toBe(4096);
    expect(nextBatchChars(8192, 0.1, max)).toBe(8192);
  });
  it('keeps a batch that took between an eighth and a half of a slice', () => {
    expect(nextBatchChars(4096, SLICE_MS / 4, max)).toBe(4096);
  });
});
