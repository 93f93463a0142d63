import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/hash';

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
