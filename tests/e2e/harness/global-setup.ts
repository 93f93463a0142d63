/**
 * One temporary folder per e2e run for the browsers' profiles, removed when
 * the run ends. A session handed from file to file (tests/e2e/fixtures.ts) is
 * still open when its worker's last file ends; its browser goes with the
 * worker, and its profile goes here, with the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    profilesDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'cp-e2e-run-'));
  project.provide('profilesDir', dir);
  return () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
