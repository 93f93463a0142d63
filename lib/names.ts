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
