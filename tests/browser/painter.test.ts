/** Painting: names that tell a page nothing, and repair after a page tampers with our highlights. */
import { afterEach, describe, expect, it } from 'vitest';
import { Painter, REPAIR_CHECKS, Sections } from '../../entrypoints/content/painter';
import { topicIds } from './helpers';

let painters: Painter[] = [];
afterEach(() => {
  for (const p of painters) p.destroy();
  painters = [];
  document.body.innerHTML = '';
});

function painter(styles = {}): Painter {
  const p = new Painter(document, topicIds, styles);
  painters.push(p);
  return p;
}

function rangeOver(text: string): StaticRange {
  const p = document.createElement('p');
  p.textContent = text;
  document.body.append(p);
  return new StaticRange({ startContainer: p.firstChild!, startOffset: 0, endContainer: p.firstChild!, endOffset: text.length });
}

/** Records the text of every stylesheet write (each one restyles the page) until `restore`. */
function recordSheetWrites(): { writes: string[]; restore: () => void } {
  const writes: string[] = [];
  const replaceSync = CSSStyleSheet.prototype.replaceSync;
  CSSStyleSheet.prototype.replaceSync = function (this: CSSStyleSheet, text: string) {
    writes.push(text);
    replaceSync.call(this, text);
  };
  return { writes, restore: () => (CSSStyleSheet.prototype.replaceSync = replaceSync) };
}

const ourRules = () => [...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n');

describe('Painter', () => {
  it('registers highlights under names that carry neither the topic nor the style, and differ per painter', () => {
    const a = painter();
    const b = painter({ deepseek: 'background' });
    a.add('deepseek', rangeOver('DeepSeek'));
    b.add('deepseek', rangeOver('DeepSeek'));
    const [na, nb] = [a.names().deepseek!, b.names().deepseek!];
    expect(na).toMatch(/^[a-z]{12}$/);
    expect(nb).toMatch(/^[a-z]{12}$/);
    expect(na).not.toBe(nb);
    for (const name of [na, nb]) expect(name).not.toMatch(/deepseek|counterpoint|underline|background|dotted/);
    expect(CSS.highlights.get(na)?.size).toBe(1);
  });

  /** The rule that draws a highlight name (outside forced colours), or ''. */
  const ruleFor = (name: string) =>
    ourRules()
      .split('\n')
      .find((r) => r.includes(`::highlight(${name})`) && !r.includes('@media')) ?? '';

  it('styles its highlights from an adopted stylesheet; a new style moves the same highlight to that look’s name', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const name = p.names().deepseek!;
    const highlight = CSS.highlights.get(name)!;
    expect(ruleFor(name)).toMatch(/dotted/);
    p.setStyles({ deepseek: 'background' });
    const moved = p.names().deepseek!;
    expect(moved).not.toBe(name);
    expect(CSS.highlights.get(moved)).toBe(highlight);
    expect(CSS.highlights.has(name)).toBe(false);
    expect(ruleFor(moved)).toMatch(/\{ background-color/);
    expect(ruleFor(moved)).not.toMatch(/dotted/);
  });

  it('writes its stylesheet once, with every look of every topic colour, and never again for a setting (each write restyles the page)', () => {
    const { writes, restore } = recordSheetWrites();
    try {
      const p = painter();
      p.setStyles({}, false);
      expect(writes, 'nothing painted, no stylesheet').toHaveLength(0);
      // Every topic, first mentions and repeats: the sheet is written on the first.
      const painted = topicIds.flatMap((topic) => [rangeOver(`${topic} one`), rangeOver(`${topic} two`)].map((range) => ({ topicId: topic, range })));
      for (const { topicId, range } of painted) p.add(topicId, range);
      p.emphasize(painted);
      expect(writes).toHaveLength(1);
      const looks = () => {
        for (const topic of topicIds) {
          expect(writes[0]).toContain(`::highlight(${p.names()[topic]!})`);
          expect(writes[0]).toContain(`::highlight(${p.emphasisNames()[topic]!})`);
        }
      };
      looks();
      p.setStyles({}, false);
      p.repair();
      p.setStyles({ [topicIds[0]!]: 'background' }, false);
      looks();
      p.setStyles({ [topicIds[0]!]: 'background' }, true);
      for (const topic of topicIds) expect(writes[0]).toContain(`::highlight(${p.names()[topic]!})`);
      expect(writes, 'no setting rewrites the sheet').toHaveLength(1);
      // A topic that was not in the order takes the next colour; past the palette's, it needs rules of its own.
      const q = new Painter(document, topicIds, {});
      painters.push(q);
      for (const topic of [...topicIds, 'd', 'e', 'f']) q.add(topic, rangeOver(`${topic} word`));
      expect(writes).toHaveLength(2);
      q.add('g', rangeOver('g word'));
      expect(writes).toHaveLength(3);
      expect(writes[2]).toContain(`::highlight(${q.names().g!})`);
    } finally {
      restore();
    }
  });

  it('in Chromium, scopes its rules to the root element, and the look still reaches deep text and text in a shadow root', () => {
    // Rules for every element slow each later restyle of the page's own; the root's look is inherited instead.
    document.body.innerHTML = '<div><section><article><p id="deep">DeepSeek deep down</p></article></section></div><div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<div><p>DeepSeek in a shadow root</p></div>';
    const p = painter({ deepseek: 'background' });
    p.setStyles({ deepseek: 'background' }, true);
    const over = (el: Element) => {
      const t = el.firstChild as Text;
      return new StaticRange({ startContainer: t, startOffset: 0, endContainer: t, endOffset: 8 });
    };
    p.add('deepseek', over(document.getElementById('deep')!));
    p.add('deepseek', over(root.querySelector('p')!));
    p.styleRoot(root);
    const rules = [...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSStyleRule);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect((r as CSSStyleRule).selectorText).toMatch(/^:root::highlight\([a-z]{12}\)$/);
    expect(root.adoptedStyleSheets, 'the document sheet reaches the shadow root').toHaveLength(0);
    const name = p.names().deepseek!;
    const tint = (el: Element) => getComputedStyle(el, `::highlight(${name})`).backgroundColor;
    const none = getComputedStyle(document.body, '::highlight(nosuchname)').backgroundColor;
    expect(tint(document.getElementById('deep')!)).not.toBe(none);
    expect(tint(root.querySelector('p')!)).toBe(tint(document.getElementById('deep')!));
  });

  it('draws nothing on paper: a print rule takes every look it draws back off', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const rules = [...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules]);
    const drawn = rules.filter((r) => r instanceof CSSStyleRule).map((r) => (r as CSSStyleRule).selectorText);
    const print = rules.find((r): r is CSSMediaRule => r instanceof CSSMediaRule && r.conditionText === 'print');
    expect(print, 'a rule for print').toBeTruthy();
    const undo = print!.cssRules[0] as CSSStyleRule;
    expect(drawn.length).toBeGreaterThan(4);
    for (const selector of drawn) expect(undo.selectorText.split(', ')).toContain(selector);
    expect(undo.style.textDecorationLine).toBe('none');
    expect(undo.style.backgroundColor).toBe('transparent');
  });

  it('repairs a cleared registry, a replaced entry, ranges a page slipped in, and a dropped stylesheet', () => {
    const p = painter();
    const ours = rangeOver('DeepSeek');
    p.add('deepseek', ours);
    const name = p.names().deepseek!;
    const h = CSS.highlights.get(name)!;

    CSS.highlights.clear();
    p.repair();
    expect(CSS.highlights.get(name)).toBe(h);

    CSS.highlights.set(name, new Highlight(rangeOver('page text')));
    p.repair();
    expect(CSS.highlights.get(name)).toBe(h);

    const foreign = rangeOver('innocent words');
    h.add(foreign);
    expect(p.owns(foreign)).toBe(false);
    p.repair();
    expect([...h]).toEqual([ours]);
    expect(p.owns(ours)).toBe(true);

    document.adoptedStyleSheets = [];
    p.repair();
    expect(ourRules()).toContain(`::highlight(${name})`);
  });

  it('finds a swapped range in a big highlight over a few repairs, asking about a bounded number of ranges each time', () => {
    const p = painter();
    const host = document.createElement('p');
    host.textContent = 'x'.repeat(2 * (REPAIR_CHECKS * 2 + 500));
    document.body.append(host);
    const text = host.firstChild!;
    const ranges = Array.from(
      { length: REPAIR_CHECKS * 2 + 500 },
      (_, i) => new StaticRange({ startContainer: text, startOffset: 2 * i, endContainer: text, endOffset: 2 * i + 1 }),
    );
    for (const r of ranges) p.add('deepseek', r);
    const h = CSS.highlights.get(p.names().deepseek!)!;
    // Swapped near the end: the size stays the same.
    const foreign = new StaticRange({ startContainer: text, startOffset: 1, endContainer: text, endOffset: 2 });
    h.delete(ranges[ranges.length - 10]!);
    h.add(foreign);
    let asked = 0;
    const has = Highlight.prototype.has;
    Highlight.prototype.has = function (this: Highlight, range: AbstractRange) {
      asked++;
      return has.call(this, range);
    };
    const perRepair: number[] = [];
    try {
      for (let i = 0; i < 3 && h.has(foreign); i++) {
        asked = 0;
        p.repair();
        perRepair.push(asked);
      }
    } finally {
      Highlight.prototype.has = has;
    }
    expect(h.has(foreign), 'the swap is undone').toBe(false);
    expect(h.has(ranges[ranges.length - 10]!)).toBe(true);
    expect(perRepair.length, 'over more than one repair').toBeGreaterThan(1);
    for (const n of perRepair) expect(n).toBeLessThanOrEqual(REPAIR_CHECKS + 1);
  });

  it('a newer painter in the same document, with the same seed, takes over the names and drops what the old one left', () => {
    const seed = 'moz-extension://secret-uuid/|1764480000123.5';
    const old = new Painter(document, topicIds, {}, seed);
    old.add('deepseek', rangeOver('DeepSeek'));
    const name = old.names().deepseek!;
    // The old instance is never told (the browser unloads it); a new one starts.
    const successor = new Painter(document, topicIds, {}, seed);
    painters.push(successor);
    expect(CSS.highlights.has(name)).toBe(false);
    successor.add('deepseek', rangeOver('DeepSeek'));
    expect(successor.names().deepseek).toBe(name);
    expect(CSS.highlights.get(name)?.size).toBe(1);
    // Another document (another time origin) gets other names.
    const elsewhere = new Painter(document, topicIds, {}, 'moz-extension://secret-uuid/|1764480999999.1');
    painters.push(elsewhere);
    elsewhere.add('deepseek', rangeOver('DeepSeek'));
    expect(elsewhere.names().deepseek).not.toBe(name);
    expect(elsewhere.names().deepseek).toMatch(/^[a-z]{12}$/);
  });

  it('holds changes to its registered highlights during a pass and applies them in one go (each change costs a page-wide repaint)', () => {
    const p = painter();
    const kept = rangeOver('DeepSeek kept');
    p.add('deepseek', kept);
    p.emphasize([{ topicId: 'deepseek', range: kept }]);
    const name = p.names().deepseek!;
    const full = CSS.highlights.get(name)!;
    const firsts = CSS.highlights.get(p.emphasisNames().deepseek!)!;

    p.hold();
    const added = [rangeOver('DeepSeek one'), rangeOver('DeepSeek two'), rangeOver('DeepSeek three')];
    for (const r of added) p.add('deepseek', r);
    p.remove('deepseek', kept);
    p.emphasize(added.map((range) => ({ topicId: 'deepseek', range })));
    // Our own books are current (hover trusts them); the page's registry is not touched yet.
    expect(added.every((r) => p.owns(r))).toBe(true);
    expect(p.owns(kept)).toBe(false);
    expect([...full]).toEqual([kept]);
    expect([...firsts]).toEqual([kept]);
    // The once-a-second repair must not flush a pass half-way.
    p.repair();
    expect([...full]).toEqual([kept]);

    p.release();
    expect(new Set(full)).toEqual(new Set(added));
    expect([...firsts]).toEqual([added[0]]);
    // Released, changes go straight through again.
    p.remove('deepseek', added[2]!);
    expect(full.has(added[2]!)).toBe(false);
  });

  it('holds nothing when told not to (Firefox, where each change costs more the bigger the highlight)', () => {
    const p = new Painter(document, topicIds, {}, undefined, { holdChanges: false });
    painters.push(p);
    p.hold();
    const r = rangeOver('DeepSeek');
    p.add('deepseek', r);
    expect([...CSS.highlights.get(p.names().deepseek!)!]).toEqual([r]);
    p.release();
  });

  it('drops held changes when destroyed mid-pass, leaving nothing registered', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const name = p.names().deepseek!;
    p.hold();
    p.add('deepseek', rangeOver('DeepSeek again'));
    p.destroy();
    p.release();
    expect(CSS.highlights.has(name)).toBe(false);
  });

  it('takes everything back on destroy', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const name = p.names().deepseek!;
    p.destroy();
    expect(CSS.highlights.has(name)).toBe(false);
    expect(ourRules()).not.toContain(name);
  });

  it('emphasises the first painted mention of a topic in each section (heading to heading), in the order it is given; a removed first hands over to the next', () => {
    document.body.innerHTML = `<h1>DeepSeek title</h1><p id="a">DeepSeek one</p><div><p id="b">DeepSeek two</p></div>
      <h2>Next</h2><p id="c">DeepSeek three and H800</p><section><h3>Inner</h3><p id="d">DeepSeek four</p></section><p id="e">DeepSeek five</p>`;
    const at = (id: string) => {
      const t = document.getElementById(id)!.firstChild as Text;
      return new StaticRange({ startContainer: t, startOffset: 0, endContainer: t, endOffset: 8 });
    };
    const p = painter();
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(at) as [StaticRange, StaticRange, StaticRange, StaticRange, StaticRange];
    // Painted out of order, as an incremental update may; emphasised by document order, as the scanner gives it.
    for (const r of [b, a, c, e, d]) p.add('deepseek', r);
    const inOrder = (ranges: StaticRange[]) => ranges.map((range) => ({ topicId: 'deepseek', range }));
    p.emphasize(inOrder([a, b, c, d, e]));
    expect([a, b, c, d, e].map((r) => p.isFirst('deepseek', r))).toEqual([true, false, true, true, false]);
    // "e" follows the <section> holding h3: still the h3's section.
    p.remove('deepseek', a);
    expect(p.isFirst('deepseek', a), 'a removed range is no longer drawn strongly').toBe(false);
    p.emphasize(inOrder([b, c, d, e]));
    expect(p.isFirst('deepseek', b)).toBe(true);
    const emphasis = CSS.highlights.get(p.emphasisNames().deepseek!)!;
    expect(emphasis.size).toBe(3);
    // The full highlight still holds every mention: hover and keys reach them all.
    expect(CSS.highlights.get(p.names().deepseek!)!.size).toBe(4);
  });

  it('draws repeats faintly and first mentions strongly, or every mention strongly when asked', () => {
    const p = painter();
    const painted = [rangeOver('DeepSeek'), rangeOver('DeepSeek again')].map((range) => ({ topicId: 'deepseek', range }));
    for (const { range } of painted) p.add('deepseek', range);
    p.emphasize(painted);
    expect(ruleFor(p.names().deepseek!)).toMatch(/1px dotted|dotted 1px/);
    expect(ruleFor(p.emphasisNames().deepseek!)).toMatch(/2px dotted|dotted 2px/);
    p.setStyles({}, true);
    expect(ruleFor(p.names().deepseek!)).toMatch(/2px dotted|dotted 2px/);
    expect(ourRules(), 'the emphasis adds nothing').not.toContain(`::highlight(${p.emphasisNames().deepseek!})`);
    p.setStyles({}, false);
    expect(ruleFor(p.names().deepseek!)).toMatch(/1px dotted|dotted 1px/);
  });

  it('takes over a stylesheet put in early with the same seed: painting and every setting write no stylesheet', () => {
    const seed = 'chrome-extension://abc/|1764480000999.5';
    // (An earlier test leaves a predecessor's sheet behind, as a replaced script does.)
    document.adoptedStyleSheets = [];
    const early = Painter.adoptEarly(document, seed)!;
    expect(document.adoptedStyleSheets).toEqual([early]);
    const { writes, restore } = recordSheetWrites();
    try {
      const p = new Painter(document, topicIds, {}, seed, { sheet: early });
      painters.push(p);
      for (const topic of topicIds) p.add(topic, rangeOver(`${topic} word`));
      p.setStyles({ deepseek: 'background' }, true);
      p.setStyles({}, false);
      expect(writes).toHaveLength(0);
      expect(document.adoptedStyleSheets.filter((s) => s === early)).toHaveLength(1);
      expect(document.adoptedStyleSheets).toHaveLength(1);
      for (const topic of topicIds) expect(ruleFor(p.names()[topic]!)).toMatch(/dotted 1px|1px dotted/);
      // Turned off for the site: the sheet goes; painting again brings it back.
      p.unstyle();
      expect(document.adoptedStyleSheets).toHaveLength(0);
      p.add('deepseek', rangeOver('DeepSeek again'));
      expect(document.adoptedStyleSheets).toEqual([early]);
    } finally {
      restore();
    }
    Painter.dropEarly(document, early);
  });

  it('finds sections across shadow roots and remembers what it walked', () => {
    document.body.innerHTML = '<h2>Top</h2><div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>inside</p>';
    const s = new Sections();
    expect(s.of(root.querySelector('p')!.firstChild!)).toBe(document.querySelector('h2'));
    const none = document.createElement('p');
    document.body.prepend(none);
    expect(s.of(none)).toBe(document);
  });
});
