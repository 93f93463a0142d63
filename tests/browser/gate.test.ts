/**
 * The gate against the walk, on real markup: for every element of every
 * fixture page, if the walk under it finds a candidate, the gate must not
 * have said "no" to it. Each element stands for a root the scanner may be
 * asked to read (a changed paragraph, a list item, a section, the body).
 */
import { afterEach, describe, expect, it } from 'vitest';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';
import { compileGate, compileMatcher, GateStream, scanBlock } from '../../lib/matcher';
import {
  collectBatches,
  gatePieces,
  insideSkipped,
  isInline,
  isSkipped,
  PIECE_CHARS,
  PIECE_NODES,
  walkedPieces,
  walkedText,
} from '../../entrypoints/content/collect';

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
    Deep<span contenteditable="plaintext-only">x</span>Seek, Deep<b hidden="until-found">x</b>Seek, Deep<button>x</button>Seek and Deep<kbd>x</kbd>Seek.</p>`;

afterEach(() => {
  document.body.innerHTML = '';
});

/** All of walkedPieces, with what it returned. */
function pieces(root: Node, maxChars?: number, maxNodes?: number): { pieces: string[]; whole: boolean } {
  const out: string[] = [];
  const it = walkedPieces(root, maxChars, maxNodes);
  for (let step = it.next(); ; step = it.next()) {
    if (step.done) return { pieces: out, whole: step.value };
    out.push(step.value);
  }
}

/** The gate asked of `root` as the scanner asks it: piece by piece (here small ones, so that terms fall across seams). */
function mayHoldTerm(root: Node, maxChars = 11, maxNodes = 5): boolean {
  const stream = new GateStream(gate!);
  return pieces(root, maxChars, maxNodes).pieces.some((piece) => stream.push(piece));
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
        const maybe = mayHoldTerm(el);
        // And the pieces are the text the walk's gate reads, exactly, with no piece over its limits.
        const read = pieces(el, 11, 5);
        expect(read.whole).toBe(true);
        expect(read.pieces.join('')).toBe(walkedText(el));
        expect(Math.max(0, ...read.pieces.map((p) => p.length))).toBeLessThanOrEqual(11);
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

  it('has no tag that is both skipped and read inline, so only attributes can hide text inside a word', () => {
    // walkedText takes out the skipped elements that can sit inside a run of text, found by attribute.
    const names = `a abbr address article aside audio b bdi bdo big blockquote br button canvas caption cite code data dd del details dfn div dl dt em embed
      fieldset figcaption figure font footer form h1 h2 h3 header hr i iframe img input ins kbd label legend li main mark math meter nav nobr noscript
      object ol optgroup option output p picture pre progress q rp rt ruby s samp script section select slot small span strike strong style sub summary
      sup svg table tbody td template textarea tfoot th thead time tr tt u ul var video wbr`.split(/\s+/);
    let skipped = 0;
    for (const name of names) {
      const el = document.createElement(name);
      if (!isSkipped(el)) continue;
      skipped++;
      expect(isInline(el), name).toBe(false);
    }
    expect(skipped).toBeGreaterThan(15);
  });

  it('reads a text longer than a piece in windows of it, and finds a term across their seam', () => {
    const plain = 'Filler words keep the paragraph long and plain for the reader. ';
    const p = document.createElement('p');
    p.textContent = plain.repeat(Math.ceil((2.5 * PIECE_CHARS) / plain.length));
    document.body.append(p);
    const read = pieces(p);
    expect(read.pieces.length).toBe(3);
    expect(read.pieces.every((piece) => piece.length <= PIECE_CHARS)).toBe(true);
    expect(read.pieces.join('')).toBe(p.textContent);
    expect(mayHoldTerm(p, PIECE_CHARS)).toBe(false);
    // "export controls" placed across the first window's end, one text node as a script builds it.
    const text = p.textContent;
    p.textContent = text.slice(0, PIECE_CHARS - 10) + ' export controls ' + text.slice(PIECE_CHARS + 7);
    expect(p.firstChild!.nodeType).toBe(3);
    expect(mayHoldTerm(p, PIECE_CHARS)).toBe(true);
    expect(mayHoldTerm(p.firstChild!, PIECE_CHARS)).toBe(true);
  });

  it('reads a root of ordinary size at once, and a large one, or one holding a long text, in pieces', () => {
    const all = (root: Node, atOnce?: boolean) => [...gatePieces(root, atOnce)];
    // Twice as many nodes as a piece's walk visits, in a few hundred elements: one native read.
    document.body.innerHTML = `<div id="a">${'<p>A plain line, <b>and</b> more.</p>'.repeat(PIECE_NODES / 3)}<script>var long = "${'x'.repeat(20_000)}";</script></div>`;
    const a = document.getElementById('a')!;
    expect(all(a)).toEqual([walkedText(a)]);
    // Unless the caller rules it out (a page served large): then in pieces, the same text.
    expect(all(a, false).length).toBeGreaterThan(1);
    expect(all(a, false).join('')).toBe(walkedText(a));
    // A long text outside a script: in pieces.
    a.insertAdjacentHTML('beforeend', `<p>${'Plain words. '.repeat(2000)}</p>`);
    expect(all(a).length).toBeGreaterThan(1);
    expect(all(a).join('')).toBe(walkedText(a));
    // Over 8,192 elements: in pieces.
    document.body.innerHTML = `<div id="b">${'<i></i>'.repeat(8200)}<p>End.</p></div>`;
    const b = document.getElementById('b')!;
    expect(all(b).length).toBeGreaterThan(1);
    expect(all(b).join('')).toBe('End.');
  });

  it('pauses after a bounded number of nodes even where they hold no text', () => {
    const div = document.createElement('div');
    for (let i = 0; i < 100; i++) div.append(document.createElement('span'));
    document.body.append(div);
    // 100 empty elements, 10 at a time: nine pause points (the last run ends the walk).
    const read = pieces(div, 1000, 10);
    expect(read.pieces.length).toBeGreaterThanOrEqual(9);
    expect(read.pieces.join('')).toBe('');
  });

  it('says the read was cut short when the node it stood on left the root during a pause', () => {
    document.body.innerHTML = `<div id="a">${'<p>One plain line.</p>'.repeat(10)}</div>`;
    const a = document.getElementById('a')!;
    const it = walkedPieces(a, 1000, 4);
    expect(it.next().done).toBe(false);
    // The walk stands on the second paragraph's text: take the paragraph out.
    a.children[1]!.remove();
    let step = it.next();
    while (!step.done) step = it.next();
    expect(step.value).toBe(false);
    // Left alone, the same walk reads to the end.
    expect(pieces(a, 1000, 4).whole).toBe(true);
  });

  it('does not read the text of scripts, styles and fallbacks, which no reader sees', () => {
    document.body.innerHTML = `<div id="a"><style>.deepseek-v3 { color: red }</style><noscript><img alt="DeepSeek"></noscript>
      <template><p>export controls</p></template><p>A plain paragraph.</p><script type="application/json">{"m":"distillation"}</script></div>`;
    expect(mayHoldTerm(document.getElementById('a')!)).toBe(false);
    document.getElementById('a')!.insertAdjacentHTML('beforeend', '<p>And DeepSeek.</p>');
    expect(mayHoldTerm(document.getElementById('a')!)).toBe(true);
  });
});
