/**
 * Every user-facing string goes through the locale files: each key the code
 * asks for exists, with a message, and nothing in the locale is left unused.
 * The Chinese locale has every English key, the same placeholders, and no
 * string left in English.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const en = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Messages;
const zh = JSON.parse(readFileSync(join(root, 'public/_locales/zh_CN/messages.json'), 'utf8')) as Messages;

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

describe('the Chinese locale (zh_CN)', () => {
  const placeholdersOf = (m: { message: string; placeholders?: object }) => ({
    declared: Object.keys(m.placeholders ?? {}).sort(),
    used: [...new Set([...m.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((x) => x[1]!.toLowerCase()))].sort(),
  });

  it('has exactly the English keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('declares and uses the same placeholders as English, so no substitution goes missing', () => {
    for (const key of Object.keys(en)) {
      if (!zh[key]) continue;
      expect(placeholdersOf(zh[key]), key).toEqual(placeholdersOf(en[key]!));
      expect(zh[key].placeholders, key).toEqual(en[key]!.placeholders);
    }
  });

  it('leaves no string in English: every message has Chinese in it, and none is an English message copied', () => {
    // langTag is not text: it names the locale for the pages' lang attribute.
    const english = Object.keys(en).filter(
      (key) => key !== 'langTag' && zh[key] && (zh[key].message === en[key]!.message || !/[\u3400-\u9fff]/.test(zh[key].message)),
    );
    expect(english).toEqual([]);
    expect([en.langTag?.message, zh.langTag?.message]).toEqual(['en', 'zh-CN']);
  });
});
