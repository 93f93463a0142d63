/**
 * Precision and recall on a labeled fixture set of our own, in both browsers:
 * tests/fixtures/labeled/mentions.html (every alias, variant and markup case
 * the matcher promises) and lookalikes.html (every look-alike the research
 * notes list, plus editors, forms, opted-out and hidden text). Each block
 * names the mentions it must yield in data-expect.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';

interface BlockResult {
  expected: string[];
  found: string[];
  label: string;
}

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  it('finds the labeled mentions with precision ≥ 0.97 and recall ≥ 0.95', async () => {
    const blocks: BlockResult[] = [];
    for (const [path, minimum] of [
      ['/labeled/mentions.html', 20],
      ['/labeled/lookalikes.html', 0],
    ] as const) {
      const page = await browser.open(path);
      if (minimum) await page.settled(minimum);
      else await page.loadedAndQuiet(2500);
      const names = await page.names().catch(() => ({}));
      blocks.push(
        ...(await page.tab.evaluate((names) => {
          const clean = (s: string) =>
            s
              .replace(/[\u00AD\u200B]/g, '')
              .replace(/\u00A0/g, ' ')
              .replace(/\u2011/g, '-');
          const results = new Map<Element, { expected: string[]; found: string[]; label: string }>();
          for (const el of document.querySelectorAll('[data-expect]')) {
            const raw = el.getAttribute('data-expect') ?? '';
            results.set(el, { expected: raw ? raw.split(';') : [], found: [], label: (el.textContent ?? '').trim().slice(0, 60) });
          }
          const stray: string[] = [];
          for (const [topic, name] of Object.entries(names)) {
            for (const r of CSS.highlights.get(name) ?? []) {
              const live = document.createRange();
              live.setStart(r.startContainer, r.startOffset);
              live.setEnd(r.endContainer, r.endOffset);
              const entry = `${topic}:${clean(live.toString())}`;
              const block = r.startContainer.parentElement?.closest('[data-expect]');
              const result = block && results.get(block);
              if (result) result.found.push(entry);
              else stray.push(entry);
            }
          }
          const list = [...results.values()];
          if (stray.length) list.push({ expected: [], found: stray, label: '(outside any labeled block)' });
          return list;
        }, names)),
      );
    }

    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const b of blocks) {
      const left = [...b.found];
      for (const e of b.expected) {
        const i = left.indexOf(e);
        if (i >= 0) {
          tp++;
          left.splice(i, 1);
        } else {
          fn++;
          misses.push(`missed ${e} in "${b.label}"`);
        }
      }
      fp += left.length;
      for (const extra of left) misses.push(`wrong ${extra} in "${b.label}"`);
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(
      `[labeled ${kind}] ${blocks.length} blocks: ${tp} found, ${fp} wrong, ${fn} missed; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`,
    );
    expect(tp).toBeGreaterThan(50);
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
