/** axe-core, injected into a page and run on an element (shadow trees included). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Tab } from './browsers';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's rules tagged `tags` (WCAG 2.x A and AA unless told; add 'best-practice' for landmarks and more) on `selector` (or the whole document). */
export async function axeViolations(tab: Tab, selector?: string, tags: string[] = WCAG_TAGS): Promise<AxeViolation[]> {
  await tab.evaluate((src) => {
    if (!(window as unknown as { axe?: unknown }).axe) (0, eval)(src);
  }, axeSource);
  return tab.evaluate(
    async ({ sel, tags }) => {
      type Axe = {
        run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
      };
      const axe = (window as unknown as { axe: Axe }).axe;
      // Measured at rest: a card fading in (120 ms) has its text at part
      // opacity, which axe reads as too little contrast. Waits for every
      // animation that ends, in the document and its open shadow roots.
      const roots: (Document | ShadowRoot)[] = [document];
      for (let i = 0; i < roots.length; i++) for (const el of roots[i]!.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
      const ending = roots.flatMap((root) => root.getAnimations()).filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity));
      await Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
      const context = sel ? document.querySelector(sel) : document;
      const result = await axe.run(context, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => JSON.stringify(n.target)),
      }));
    },
    { sel: selector, tags },
  );
}
