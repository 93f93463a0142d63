/** Painting: names that tell a page nothing, and repair after a page tampers with our highlights. */
import { afterEach, describe, expect, it } from 'vitest';
import { Painter } from '../../entrypoints/content/painter';
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

  it('styles its highlights from an adopted stylesheet, and restyles without renaming', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const name = p.names().deepseek!;
    expect(ourRules()).toContain(`::highlight(${name})`);
    expect(ourRules()).toMatch(/dotted/);
    p.setStyles({ deepseek: 'background' });
    expect(p.names().deepseek).toBe(name);
    expect(ourRules()).toMatch(new RegExp(`::highlight\\(${name}\\) \\{ background-color`));
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

  it('takes everything back on destroy', () => {
    const p = painter();
    p.add('deepseek', rangeOver('DeepSeek'));
    const name = p.names().deepseek!;
    p.destroy();
    expect(CSS.highlights.has(name)).toBe(false);
    expect(ourRules()).not.toContain(name);
  });
});
