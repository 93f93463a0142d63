/**
 * The seed articles of the outside corpus (see ./corpus.ts) as HTML pages,
 * rendered at serve time so the project never copies their text: each line
 * becomes a paragraph (a leading "- " a list item), inside a plain
 * news-article layout. Without the corpus there are no seeds.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './corpus';

export interface Seed {
  name: string;
  lines: string[];
}

export function readSeeds(seedsDir = corpus().seedsDir): Seed[] {
  if (!existsSync(seedsDir)) return [];
  return readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.txt$/, ''),
      lines: readFileSync(join(seedsDir, f), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    }));
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One seed as article body markup. */
export function seedBody(seed: Seed): string {
  const out: string[] = [];
  let list = false;
  for (const line of seed.lines) {
    const item = line.startsWith('- ');
    if (item !== list) out.push(item ? '<ul>' : '</ul>');
    list = item;
    out.push(item ? `<li>${escape(line.slice(2))}</li>` : `<p>${escape(line)}</p>`);
  }
  if (list) out.push('</ul>');
  return out.join('\n');
}

/** A page per seed: /seeds/<name>.html */
export function seedPage(seed: Seed): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Seed ${seed.name}</title>
<style>body{font:18px/1.6 Georgia,serif;max-width:720px;margin:40px auto;padding:0 16px}</style></head>
<body><article id="article">${seedBody(seed)}</article></body></html>`;
}
