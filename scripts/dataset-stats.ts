/**
 * `npm run dataset:stats`: validates the bundled dataset and prints, per topic,
 * how many cards, facts, viewpoints and sources it holds (and how many cards
 * are contested), how fresh the cards are (their as-of dates by quarter), and
 * how many words a card's short first view holds. `--format` rewrites the file
 * in canonical formatting (two-space JSON, one trailing newline), which the
 * unit tests require.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDataset, type Dataset } from '../lib/dataset/schema';

const file = resolve(import.meta.dirname, '../lib/dataset/dataset.json');
const raw = readFileSync(file, 'utf8');
const json = JSON.parse(raw) as unknown;

if (process.argv.includes('--format')) {
  const canonical = `${JSON.stringify(json, null, 2)}\n`;
  if (canonical !== raw) writeFileSync(file, canonical);
  console.log(canonical === raw ? 'dataset.json is already canonical' : 'dataset.json reformatted');
}

const result = parseDataset(json);
if (!result.ok) {
  console.error('dataset.json is invalid:');
  for (const issue of result.issues) console.error(`  ${issue.path}: ${issue.message}`);
  process.exit(1);
}
const data: Dataset = result.dataset;

const rows = data.topics.map((topic) => {
  const cards = data.cards.filter((c) => c.topicId === topic.id);
  const sources = new Set(cards.flatMap((c) => [...c.facts.flatMap((f) => f.sourceIds), ...c.viewpoints.flatMap((v) => v.sourceIds)]));
  return {
    topic: topic.name,
    terms: topic.terms.length,
    cards: cards.length,
    contested: cards.filter((c) => c.contested).length,
    facts: cards.reduce((n, c) => n + c.facts.length, 0),
    viewpoints: cards.reduce((n, c) => n + c.viewpoints.length, 0),
    sources: sources.size,
  };
});
const byReliability = (r: string) => data.sources.filter((s) => s.reliability === r).length;
const total = {
  topic: 'All topics',
  terms: rows.reduce((n, r) => n + r.terms, 0),
  cards: data.cards.length,
  contested: rows.reduce((n, r) => n + r.contested, 0),
  facts: rows.reduce((n, r) => n + r.facts, 0),
  viewpoints: rows.reduce((n, r) => n + r.viewpoints, 0),
  sources: data.sources.length,
};

const cols = ['topic', 'terms', 'cards', 'contested', 'facts', 'viewpoints', 'sources'] as const;
const table = [...rows, total];
const width = (c: (typeof cols)[number]) => Math.max(c.length, ...table.map((r) => String(r[c]).length));
const line = (r: Record<string, string | number>) => `| ${cols.map((c) => String(r[c]).padEnd(width(c))).join(' | ')} |`;
console.log(`Counterpoint dataset ${data.version}, reviewed ${data.reviewed}\n`);
console.log(line(Object.fromEntries(cols.map((c) => [c, c]))));
console.log(`| ${cols.map((c) => '-'.repeat(width(c))).join(' | ')} |`);
for (const r of table) console.log(line(r));
console.log(
  `\nSources by reliability: ${byReliability('primary')} primary, ${byReliability('major')} major outlet, ${byReliability('secondary')} secondary; ${data.sources.filter((s) => s.url).length} with a link.`,
);
console.log(`Cue sets: ${Object.keys(data.cues).join(', ')}.`);

// Freshness: each card's as-of date, by quarter.
const quarter = (d: string) => `${d.slice(0, 4)} Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
const asOf = data.cards.map((c) => c.asOf).filter((d): d is string => !!d);
const byQuarter = new Map<string, number>();
for (const d of [...asOf].sort()) byQuarter.set(quarter(d), (byQuarter.get(quarter(d)) ?? 0) + 1);
console.log(`\nAs of (the latest date each card's text is backed by a source), ${asOf.length} of ${data.cards.length} cards dated:`);
for (const [q, n] of byQuarter) console.log(`  ${q}  ${'#'.repeat(n)} ${n}`);
if (asOf.length) console.log(`  oldest ${[...asOf].sort()[0]}, newest ${[...asOf].sort().at(-1)}; reviewed ${data.reviewed}`);

// The short first view: question, summary, and per side its label and first viewpoint's label and holders.
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const firstView = data.cards.map((c) => {
  let n = words(c.question) + words(c.summary);
  for (const stance of ['yes', 'no'] as const) {
    const v = c.viewpoints.find((x) => x.stance === stance);
    if (v) n += words(c.sides?.[stance] ?? '') + words(v.label) + words(v.holders.join(' '));
  }
  return { id: c.id, n };
});
firstView.sort((a, b) => a.n - b.n);
const median = firstView[Math.floor(firstView.length / 2)]!.n;
const longest = firstView.at(-1)!;
console.log(`\nWords in a card's first view (question, summary, one line a side): median ${median}, longest ${longest.n} (${longest.id}).`);
