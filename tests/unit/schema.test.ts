import { describe, expect, it } from 'vitest';
import { parseDataset, parseDatasetText, type Dataset } from '../../lib/dataset/schema';
import bundled from '../../lib/dataset/dataset.json';

const valid = (): Dataset => structuredClone(bundled) as Dataset;

describe('parseDataset', () => {
  it('accepts the bundled dataset', () => {
    const result = parseDataset(bundled);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('reports malformed JSON with a clear message', () => {
    const result = parseDatasetText('{"schemaVersion": 1,');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/not valid JSON/);
  });

  it('reports a wrong shape with the path of the problem', () => {
    const data = valid() as unknown as { cards: { question: unknown }[] };
    data.cards[0]!.question = 42;
    const result = parseDataset(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.some((i) => i.path === 'cards[0].question')).toBe(true);
  });

  it('rejects a card referencing a missing topic', () => {
    const data = valid();
    data.cards[0]!.topicId = 'no-such-topic';
    const result = parseDataset(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.message).join()).toMatch(/unknown topic "no-such-topic"/);
  });

  it('rejects a javascript: link and plain http', () => {
    for (const url of ['javascript:alert(1)', 'http://example.com/']) {
      const data = valid();
      data.sources[0]!.url = url;
      const result = parseDataset(data);
      expect(result.ok, url).toBe(false);
      if (!result.ok) expect(result.issues.some((i) => i.path.startsWith('sources[0].url'))).toBe(true);
    }
  });

  it('rejects HTML in text', () => {
    const data = valid();
    data.cards[0]!.summary = 'Hello <img src=x onerror=alert(1)>';
    expect(parseDataset(data).ok).toBe(false);
  });

  it('rejects a contested card without both sides', () => {
    const data = valid();
    const card = data.cards.find((c) => c.contested)!;
    card.viewpoints = card.viewpoints.filter((v) => v.stance === 'yes');
    const result = parseDataset(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.message).join()).toMatch(/opposing viewpoints/);
  });

  it('rejects an unknown source, duplicate ids and impossible dates', () => {
    const data = valid();
    data.cards[0]!.facts[0]!.sourceIds = ['nope'];
    data.cards.push(structuredClone(data.cards[1]!));
    data.reviewed = '2026-02-30';
    const result = parseDataset(data);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.issues.map((i) => `${i.path} ${i.message}`).join('\n');
      expect(text).toMatch(/real calendar date/);
    }
    const data2 = valid();
    data2.cards[0]!.facts[0]!.sourceIds = ['nope'];
    data2.cards.push(structuredClone(data2.cards[1]!));
    const result2 = parseDataset(data2);
    expect(result2.ok).toBe(false);
    if (!result2.ok) {
      const text = result2.issues.map((i) => i.message).join('\n');
      expect(text).toMatch(/unknown source "nope"/);
      expect(text).toMatch(/duplicate id/);
    }
  });

  it('rejects unknown cue sets in term rules', () => {
    const data = valid();
    data.topics[0]!.terms.push({ text: 'X1', requires: ['no-such-cues'] });
    expect(parseDataset(data).ok).toBe(false);
  });
});
