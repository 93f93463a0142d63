/**
 * The seed articles (../shared/seeds/*.txt) as HTML pages, rendered at serve
 * time so the project never copies their text: each line becomes a paragraph
 * (a leading "- " a list item), inside a plain news-article layout.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const sharedDir = resolve(import.meta.dirname, '../../../shared');
export const seedsDir = join(sharedDir, 'seeds');
export const realPagesDir = join(sharedDir, 'real-pages');

export interface Seed {
  name: string;
  lines: string[];
}

export function readSeeds(): Seed[] {
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

/** Fills the <!-- seeds --> slot of a template with every seed, one section each. */
export function fillTemplate(template: string, seeds: Seed[]): string {
  const sections = seeds.map((s, i) => `<section class="story" id="story-${i}">\n${seedBody(s)}\n</section>`).join('\n<hr>\n');
  return template.replace('<!-- seeds -->', sections);
}
