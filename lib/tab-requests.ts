/**
 * The content script's check of what the background and the popup ask it
 * (`TabRequests` in ./protocol): a known call and fields of the right shape,
 * nothing more. Written by hand, with no schema library, because every frame
 * of every page loads it.
 */
import type { TabCall, TabRequests } from './protocol';

type Check = (fields: Record<string, unknown>) => string | null;

const only =
  (...keys: string[]): Check =>
  (fields) => {
    const extra = Object.keys(fields).find((k) => !keys.includes(k));
    return extra === undefined ? null : `${extra} is not expected`;
  };

const COUNT_MAX = 1e9;

const CHECKS: Record<TabCall, Check> = {
  getFindings: only(),
  revealMention: (fields) =>
    only('index')(fields) ??
    (Number.isInteger(fields.index) && (fields.index as number) >= 0 && (fields.index as number) <= COUNT_MAX ? null : 'index must be a whole number from 0'),
  stepMention: (fields) => only('direction')(fields) ?? (fields.direction === 1 || fields.direction === -1 ? null : 'direction must be 1 or -1'),
};

export type TabParse = { ok: true; type: TabCall; req: TabRequests[TabCall] } | { ok: false; known: boolean; error: string };

/** Checks a received message as a tab request. `known` says whether it named one of our calls at all. */
export function parseTabRequest(message: unknown): TabParse {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return { ok: false, known: false, error: 'malformed message' };
  const { type, ...fields } = message as { type?: unknown } & Record<string, unknown>;
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) return { ok: false, known: false, error: 'not a tab request' };
  const error = CHECKS[type as TabCall](fields);
  if (error) return { ok: false, known: true, error: `invalid ${type} request: ${error}` };
  return { ok: true, type: type as TabCall, req: fields as TabRequests[TabCall] };
}
