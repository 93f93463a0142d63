import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/hash';
import { derivedName, derivedNames } from '../../lib/names';

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with Node on text of every length across block boundaries, and on non-ASCII text', () => {
    for (let n = 0; n < 200; n += 7) {
      const text = 'x'.repeat(n) + 'moz-extension://6b1c3a52/|1764480000123.45|深度求索';
      expect(sha256Hex(text), String(n)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('derivedNames', () => {
  it('spells out distinct twelve-letter names, the same for the same seed and purpose, whatever the count', () => {
    const names = derivedNames('chrome-extension://abc/|1764480000123.5', 'highlights', 31);
    expect(names).toHaveLength(31);
    for (const name of names) expect(name).toMatch(/^[a-z]{12}$/);
    expect(new Set(names).size).toBe(31);
    expect(derivedNames('chrome-extension://abc/|1764480000123.5', 'highlights', 40).slice(0, 31)).toEqual(names);
  });

  it('gives other names for another seed or purpose, and none of the names of derivedName', () => {
    const seed = 'moz-extension://6b1c3a52/|1764480000123.45';
    const a = derivedNames(seed, 'highlights', 31);
    const b = derivedNames(`${seed}1`, 'highlights', 31);
    const c = derivedNames(seed, 'other', 31);
    expect(a.filter((n) => b.includes(n) || c.includes(n))).toEqual([]);
    expect(a).not.toContain(derivedName(seed, 'highlights'));
  });

  it('uses the whole alphabet about evenly (no letter starved by the generator)', () => {
    const counts = new Map<string, number>();
    for (const name of derivedNames('seed', 'spread', 2000)) for (const ch of name) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(26);
    // 24,000 letters: about 923 each.
    for (const [ch, n] of counts) expect(n, ch).toBeGreaterThan(800);
  });
});
