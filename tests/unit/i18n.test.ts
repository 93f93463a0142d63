/**
 * Every user-facing string goes through the locale files: each key the code
 * asks for exists, with a message, and nothing in the locale is left unused.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const en = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(e.name) ? [readFileSync(join(root, path), 'utf8')] : [];
  });
}
const code = [...sources('components'), ...sources('entrypoints'), ...sources('lib'), readFileSync(join(root, 'wxt.config.ts'), 'utf8')].join('\n');
/** Keys asked for literally: t('key'), getMessage('key'), __MSG_key__. */
const literal = new Set([...code.matchAll(/\b(?:t|getMessage)\('([A-Za-z0-9_]+)'/g), ...code.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!));
/** Keys built from a prefix: t(`prefix_${x}`). */
const prefixes = new Set([...code.matchAll(/\bt\(`([A-Za-z0-9_]+)\$\{/g)].map((m) => m[1]!));

describe('the English locale', () => {
  it('has every key the code asks for, each with a message', () => {
    const missing = [...literal].filter((key) => !en[key]?.message);
    expect(missing).toEqual([]);
    for (const prefix of prefixes)
      expect(
        Object.keys(en).some((k) => k.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('holds no key the code never asks for', () => {
    // A key may also travel as a plain string before it is looked up (lib/restricted.ts returns one).
    const mentioned = (key: string) => literal.has(key) || code.includes(`'${key}'`) || [...prefixes].some((p) => key.startsWith(p));
    const unused = Object.keys(en).filter((key) => !mentioned(key));
    expect(unused).toEqual([]);
  });
});
