/**
 * Precision and recall on a labeled fixture set of our own, in both browsers:
 * tests/fixtures/labeled/mentions.html (every alias, variant and markup case
 * the matcher promises) and lookalikes.html (every look-alike the research
 * notes list, plus editors, forms, opted-out and hidden text). Each block
 * names the mentions it must yield in data-expect.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, launch, startTestSite, type Kind, type Session } from './harness/browsers';
import { settled, sleep } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';

const dataset = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '../..'), 'lib/dataset/dataset.json'), 'utf8')) as { topics: { id: string }[] };
const topicBySlot = dataset.topics.map((t) => t.id);

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

interface BlockResult {
  expected: string[];
  found: string[];
  label: string;
}

describe.each(KINDS)('%s', (kind: Kind) => {
  let session: Session;
  beforeAll(async () => {
    session = await launch(kind, site);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('finds the labeled mentions with precision ≥ 0.97 and recall ≥ 0.95', async () => {
    const blocks: BlockResult[] = [];
    for (const [path, minimum] of [['/labeled/mentions.html', 20], ['/labeled/lookalikes.html', 0]] as const) {
      const tab = await session.open(path);
      if (minimum) await settled(tab, minimum);
      else await sleep(2500);
      blocks.push(
        ...(await tab.evaluate((slots) => {
          const clean = (s: string) => s.replace(/[\u00AD\u200B]/g, '').replace(/\u00A0/g, ' ').replace(/\u2011/g, '-');
          const results = new Map<Element, { expected: string[]; found: string[]; label: string }>();
          for (const el of document.querySelectorAll('[data-expect]')) {
            const raw = el.getAttribute('data-expect') ?? '';
            results.set(el, { expected: raw ? raw.split(';') : [], found: [], label: (el.textContent ?? '').trim().slice(0, 60) });
          }
          const stray: string[] = [];
          for (const [name, h] of CSS.highlights) {
            const m = /^counterpoint-t(\d+)-/.exec(name);
            if (!m) continue;
            for (const r of h as Highlight) {
              const live = document.createRange();
              live.setStart(r.startContainer, r.startOffset);
              live.setEnd(r.endContainer, r.endOffset);
              const entry = `${slots[Number(m[1])]}:${clean(live.toString())}`;
              const block = r.startContainer.parentElement?.closest('[data-expect]');
              const result = block && results.get(block);
              if (result) result.found.push(entry);
              else stray.push(entry);
            }
          }
          const list = [...results.values()];
          if (stray.length) list.push({ expected: [], found: stray, label: '(outside any labeled block)' });
          return list;
        }, topicBySlot)),
      );
      await tab.close();
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
    console.log(`[labeled ${kind}] ${blocks.length} blocks: ${tp} found, ${fp} wrong, ${fn} missed; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(tp).toBeGreaterThan(50);
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
