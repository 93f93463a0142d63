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
import { collectBatches, insideSkipped, isInline, isSkipped, readsAtOnce, walkedText } from '../../entrypoints/content/collect';
import { mayMatch } from '../../lib/matcher';

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
  <div>export<div>controls</div></div><p>Model <span contenteditable="false">distillation</span> and <span contenteditable>DeepSeek</span>.</p>
  <p>Deep<span data-counterpoint="off">x</span>Seek, Deep<i data-gramm="false">x</i>Seek, Deep<span aria-hidden="false">Seek</span>, export <em data-counterpoint="on">controls</em>,
    Deep<span contenteditable="plaintext-only">x</span>Seek, Deep<b hidden="until-found">x</b>Seek, Deep<button>x</button>Seek and Deep<kbd>x</kbd>Seek.</p>
  <p>据报道<ruby>深<rt>shēn</rt>度<rp>(</rp><rt>dù</rt><rp>)</rp></ruby><ruby>求<rt>qiú</rt>索<rt>suǒ</rt></ruby>发布了新模型。</p>`;

afterEach(() => {
  document.body.innerHTML = '';
});

/** The gate asked of the text read at once, as the scanner asks of a root of ordinary size. */
function mayHoldTerm(root: Node, g: typeof gate): boolean {
  return mayMatch(g, walkedText(root));
}

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

  it('takes out of the text it reads at once every tag the walk skips inside a word', () => {
    // Skipped tags that flow inside a line (ruby's annotations) hide text inside a word, as the skipping attributes do.
    const names = `a abbr address article aside audio b bdi bdo big blockquote br button canvas caption cite code data dd del details dfn div dl dt em embed
      fieldset figcaption figure font footer form h1 h2 h3 header hr i iframe img input ins kbd label legend li main mark math meter nav nobr noscript
      object ol optgroup option output p picture pre progress q rp rt ruby s samp script section select slot small span strike strong style sub summary
      sup svg table tbody td template textarea tfoot th thead time tr tt u ul var video wbr`.split(/\s+/);
    let skipped = 0;
    const inside: string[] = [];
    for (const name of names) {
      const el = document.createElement(name);
      if (!isSkipped(el)) continue;
      skipped++;
      if (!isInline(el)) continue;
      inside.push(name);
      el.textContent = 'x';
      const p = document.createElement('p');
      p.append('Deep', el, 'Seek');
      expect(walkedText(p), name).toBe('DeepSeek');
    }
    expect(skipped).toBeGreaterThan(15);
    expect(inside.sort()).toEqual(['rp', 'rt']);
  });

  it('reads a root at once when it is of ordinary size, and not one with many elements or a long text', () => {
    document.body.innerHTML = `<div id="a">${'<p>A plain line, <b>and</b> more.</p>'.repeat(500)}<script>var long = "${'x'.repeat(20_000)}";</script></div>`;
    const a = document.getElementById('a')!;
    // A long text inside a script does not count: the walk never reads it.
    expect(readsAtOnce(a)).toBe(true);
    a.insertAdjacentHTML('beforeend', `<p>${'Plain words. '.repeat(2000)}</p>`);
    expect(readsAtOnce(a)).toBe(false);
    document.body.innerHTML = `<div id="b">${'<i></i>'.repeat(8200)}</div><div id="c">${'<i></i>'.repeat(8000)}</div>`;
    expect(readsAtOnce(document.getElementById('b')!)).toBe(false);
    expect(readsAtOnce(document.getElementById('c')!)).toBe(true);
    const host = document.createElement('div');
    document.body.append(host);
    expect(readsAtOnce(host.attachShadow({ mode: 'open' }))).toBe(false);
  });

  it('does not read the text of scripts, styles and fallbacks, which no reader sees', () => {
    document.body.innerHTML = `<div id="a"><style>.deepseek-v3 { color: red }</style><noscript><img alt="DeepSeek"></noscript>
      <template><p>export controls</p></template><p>A plain paragraph.</p><script type="application/json">{"m":"distillation"}</script></div>`;
    expect(mayHoldTerm(document.getElementById('a')!, gate)).toBe(false);
    document.getElementById('a')!.insertAdjacentHTML('beforeend', '<p>And DeepSeek.</p>');
    expect(mayHoldTerm(document.getElementById('a')!, gate)).toBe(true);
  });
});
