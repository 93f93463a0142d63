/**
 * The gate against the walk, on real markup: for every element of every
 * fixture page, if the walk under it finds a candidate, the gate must not
 * have said "no" to it. Each element stands for a root the scanner may be
 * asked to read (a changed paragraph, a list item, a section, the body).
 */
import { afterEach, describe, expect, it } from 'vitest';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';
import { compileGate, compileMatcher, scanBlock } from '../../lib/matcher';
import { collectBatches, insideSkipped, mayHoldTerm } from '../../entrypoints/content/collect';

const data = dataset as Dataset;
const spec = { topics: data.topics, cues: data.cues };
const matcher = compileMatcher(spec);
const gate = compileGate(spec);

const pages = import.meta.glob('../fixtures/{labeled,hostile,card-choice}/*.html', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
// And pages of our own whose words are split and hidden in the ways that part a page's textContent from what the walk reads.
pages['split words'] = `
  <p>Deep<span aria-hidden="true">·</span>Seek, Deep<span hidden>x</span>Seek-R1 and Deep<b>Seek</b> V3.</p>
  <p>De<span aria-hidden="true">1</span>ep<span aria-hidden="true">2</span>Seek, then export <sup aria-hidden="true">[3]</sup>controls.</p>
  <p><a href="#">export</a><span style="margin-left:4px">controls</span>, distil\u00adla\u200btion, 深度<span aria-hidden="true">·</span>求索.</p>
  <div>export<div>controls</div></div><p>Model <span contenteditable="false">distillation</span> and <span contenteditable>DeepSeek</span>.</p>`;

afterEach(() => {
  document.body.innerHTML = '';
});

function walkFinds(root: Node): boolean {
  for (const batch of collectBatches(root)) if (scanBlock(matcher, batch.text).candidates.length) return true;
  return false;
}

describe('the gate against the walk', () => {
  it('never says no to an element under which the walk finds a candidate, on every fixture page', () => {
    let roots = 0;
    let found = 0;
    let refused = 0;
    for (const [name, html] of Object.entries(pages)) {
      document.body.innerHTML = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
      const elements = [document.body, ...document.body.querySelectorAll('*')].slice(0, 4000);
      for (const el of elements) {
        if (insideSkipped(el)) continue;
        roots++;
        const finds = walkFinds(el);
        const maybe = mayHoldTerm(el, gate);
        if (finds) {
          found++;
          expect(maybe, `${name}: <${el.localName}> ${el.textContent?.slice(0, 100)}`).toBe(true);
        } else if (!maybe) refused++;
      }
    }
    // The check means something: many roots held a candidate, and the gate turned many others away.
    expect(Object.keys(pages).length).toBeGreaterThan(20);
    expect(found).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
    expect(roots).toBeGreaterThan(found + refused - 1);
  });
});
