/**
 * Names for what Counterpoint puts in a page (highlight names, the card's tag
 * name) that a page can neither predict nor tie to us: twelve lowercase
 * letters, random, or derived by hash from a seed the page does not know.
 */
import { sha256 } from './hash';

const letters = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 12), (b) => String.fromCharCode(97 + (b % 26))).join('');

/** Twelve random letters, fresh every time. */
export function randomName(): string {
  return letters(crypto.getRandomValues(new Uint8Array(12)));
}

/** Twelve letters derived from a seed and a purpose: the same for the same pair, unpredictable without the seed. */
export function derivedName(seed: string, purpose: string): string {
  return letters(sha256(new TextEncoder().encode(`${seed}|${purpose}`)));
}

/**
 * `count` names derived from a seed and a purpose, from one hash: its 256
 * bits seed a small generator (sfc32) that spells the names out. As
 * unpredictable without the seed as `derivedName`, and the first names are
 * the same whatever `count` is. One hash instead of one per name: the content
 * script needs thirty names as a page starts loading, when each hash still
 * runs cold.
 */
export function derivedNames(seed: string, purpose: string, count: number): string[] {
  const digest = sha256(new TextEncoder().encode(`${seed}|${purpose}`));
  const word = (i: number) => (digest[i]! << 24) | (digest[i + 1]! << 16) | (digest[i + 2]! << 8) | digest[i + 3]!;
  let a = word(0) ^ word(16);
  let b = word(4) ^ word(20);
  let c = word(8) ^ word(24);
  let d = word(12) ^ word(28);
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The generator's first outputs are still close to its seed words.
  for (let i = 0; i < 12; i++) next();
  const names: string[] = [];
  const codes: number[] = [];
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < 12; i++) codes[i] = 97 + (next() % 26);
    names.push(String.fromCharCode(...codes));
  }
  return names;
}
