/**
 * The outside corpus: text and pages we did not write (seed articles, saved
 * real news pages), kept beside the project rather than in it. Suites that
 * read it find it through one setting:
 *
 *   COUNTERPOINT_CORPUS=/path/to/shared   (default: ../shared beside the repo)
 *   COUNTERPOINT_CORPUS_REQUIRED=1        (CI: a missing corpus fails the run)
 *
 * Locally a missing corpus skips those suites with one line saying what was
 * skipped, where it looked and how to point at it; with the "required" switch
 * it is an error instead, so CI can never pass by skipping.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS_ENV = 'COUNTERPOINT_CORPUS';
export const REQUIRED_ENV = 'COUNTERPOINT_CORPUS_REQUIRED';

const repoRoot = resolve(import.meta.dirname, '../..');

export type CorpusPart = 'seeds' | 'real-pages';

export interface Corpus {
  dir: string;
  seedsDir: string;
  realPagesDir: string;
  required: boolean;
  /** Is this part present? */
  has(part: CorpusPart): boolean;
}

export function corpus(env: NodeJS.ProcessEnv = process.env): Corpus {
  const dir = resolve(env[CORPUS_ENV] || join(repoRoot, '../shared'));
  const paths: Record<CorpusPart, string> = { seeds: join(dir, 'seeds'), 'real-pages': join(dir, 'real-pages') };
  return {
    dir,
    seedsDir: paths.seeds,
    realPagesDir: paths['real-pages'],
    required: /^(1|true|yes)$/i.test(env[REQUIRED_ENV] ?? ''),
    has: (part) => existsSync(paths[part]),
  };
}

/** The one line a skipped suite prints. */
export function skipLine(suite: string, part: CorpusPart, c: Corpus = corpus()): string {
  return `[corpus] skipped: ${suite} (no ${part} at ${join(c.dir, part)}; set ${CORPUS_ENV}=/path/to/shared to run it)`;
}

/**
 * For a suite that reads the corpus: true when it should run. When the part
 * is missing, prints the skip line and returns false, or throws when the
 * corpus is required (CI).
 */
export function corpusSuite(suite: string, part: CorpusPart, c: Corpus = corpus()): boolean {
  if (c.has(part)) return true;
  if (c.required) {
    throw new Error(`${suite} needs the outside corpus, and ${REQUIRED_ENV} is set: no ${part} at ${join(c.dir, part)} (set ${CORPUS_ENV}).`);
  }
  console.log(skipLine(suite, part, c));
  return false;
}
