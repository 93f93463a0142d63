/**
 * Settings: a `defaults` object, a list of migrations, and the rule that only
 * what the user changed is stored (in storage.sync, one key per setting, so a
 * change on one machine does not overwrite a different change on another).
 *
 * Pure functions here; `lib/settings-store.ts` binds them to browser.storage.
 */

/**
 * How a topic's mentions look. Neither reads as a link: a dotted underline,
 * or a soft tint. ('underline' was offered before and is read as 'dotted'.)
 */
export type HighlightStyle = 'underline' | 'background' | 'dotted';

/** The styles the settings page offers. */
export const HIGHLIGHT_STYLES: readonly HighlightStyle[] = ['dotted', 'background'];

/** The hover delay's bounds, in ms. */
export const HOVER_DELAY_MIN = 100;
export const HOVER_DELAY_MAX = 2000;

export interface Settings {
  /** Master switch. */
  enabled: boolean;
  /** Topic ids the reader turned off. */
  topicsOff: string[];
  /** Hostnames where Counterpoint does nothing. */
  sitesOff: string[];
  /** How long the pointer must rest on a mention before the card opens. */
  hoverDelayMs: number;
  /** Per-topic look of the highlight. */
  topicStyles: Record<string, HighlightStyle>;
  /**
   * Mark every mention the same. Off (the default): the first mention of each
   * topic in a section (heading to heading) is marked, repeats faintly.
   */
  markEvery: boolean;
}

export const DEFAULTS: Readonly<Settings> = Object.freeze({
  enabled: true,
  topicsOff: [],
  sitesOff: [],
  hoverDelayMs: 400,
  topicStyles: {},
  markEvery: false,
});

export const SETTINGS_VERSION = 2;
export const VERSION_KEY = 'settingsVersion';
const KEYS = Object.keys(DEFAULTS) as (keyof Settings)[];

/**
 * Migrations from stored version N to N+1. Each gets the raw stored object and
 * returns the keys to set and remove.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  // v1 stored the hover delay in seconds under "hoverDelay".
  1: (raw) => {
    const next = { ...raw };
    if (typeof raw.hoverDelay === 'number') next.hoverDelayMs = Math.round(raw.hoverDelay * 1000);
    delete next.hoverDelay;
    return next;
  },
};

/** Applies migrations to a raw storage snapshot. Returns the migrated snapshot and whether anything changed. */
export function migrate(raw: Record<string, unknown>): { raw: Record<string, unknown>; changed: boolean } {
  let version = typeof raw[VERSION_KEY] === 'number' ? (raw[VERSION_KEY] as number) : hasAnySetting(raw) ? 1 : SETTINGS_VERSION;
  let current = raw;
  let changed = false;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (step) current = step(current);
    version += 1;
    changed = true;
  }
  // An empty store has nothing to migrate and stays empty (the first save
  // stamps the version): writing to it at install would race anything else
  // that writes settings then, and tell a synced account nothing.
  return { raw: { ...current, [VERSION_KEY]: SETTINGS_VERSION }, changed: changed || (hasAnySetting(raw) && raw[VERSION_KEY] !== SETTINGS_VERSION) };
}

/** Reads settings from a raw storage snapshot: defaults, overridden by every stored value that is valid. */
export function readSettings(raw: Record<string, unknown>): Settings {
  const out: Settings = { ...DEFAULTS, topicsOff: [], sitesOff: [], topicStyles: {} };
  if (typeof raw.enabled === 'boolean') out.enabled = raw.enabled;
  if (isStringArray(raw.topicsOff)) out.topicsOff = [...raw.topicsOff];
  if (isStringArray(raw.sitesOff)) out.sitesOff = raw.sitesOff.map(normalizeSite).filter(Boolean);
  if (typeof raw.hoverDelayMs === 'number' && Number.isFinite(raw.hoverDelayMs)) {
    out.hoverDelayMs = clamp(Math.round(raw.hoverDelayMs), HOVER_DELAY_MIN, HOVER_DELAY_MAX);
  }
  if (raw.topicStyles && typeof raw.topicStyles === 'object') {
    for (const [topic, style] of Object.entries(raw.topicStyles as Record<string, unknown>)) {
      if (style === 'background') out.topicStyles[topic] = style;
      // 'dotted' is the default look; the old solid 'underline' read as a link and is shown dotted.
    }
  }
  if (typeof raw.markEvery === 'boolean') out.markEvery = raw.markEvery;
  return out;
}

/**
 * What a typed hover delay becomes, and why, so the settings page can say
 * what it saved instead of a bare "Saved": a number out of range is saved at
 * the nearest bound, a fraction is rounded, and anything else is not saved.
 */
export type DelayCheck = { ok: true; value: number; adjusted: null | 'low' | 'high' | 'rounded' } | { ok: false; reason: 'not-a-number' };

export function checkHoverDelay(input: string): DelayCheck {
  const trimmed = input.trim();
  const n = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(n)) return { ok: false, reason: 'not-a-number' };
  const rounded = Math.round(n);
  if (rounded < HOVER_DELAY_MIN) return { ok: true, value: HOVER_DELAY_MIN, adjusted: 'low' };
  if (rounded > HOVER_DELAY_MAX) return { ok: true, value: HOVER_DELAY_MAX, adjusted: 'high' };
  return { ok: true, value: rounded, adjusted: rounded === n ? null : 'rounded' };
}

/**
 * What to write for a change: keys whose new value differs from the default
 * are set, keys that went back to the default are removed.
 */
export function planSave(patch: Partial<Settings>): { set: Record<string, unknown>; remove: string[] } {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const key of KEYS) {
    if (!(key in patch)) continue;
    const value = patch[key];
    if (sameValue(value, DEFAULTS[key])) remove.push(key);
    else set[key] = value;
  }
  // What is stored says which version wrote it, so a later migration knows.
  if (Object.keys(set).length) set[VERSION_KEY] = SETTINGS_VERSION;
  return { set, remove };
}

/** A site key: the hostname without "www.". Accepts a URL or a bare hostname. */
export function normalizeSite(input: string): string {
  let host = input.trim().toLowerCase();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) host = new URL(host).hostname;
  } catch {
    return '';
  }
  host = host
    .replace(/\/.*$/, '')
    .replace(/:\d+$/, '')
    .replace(/^www\./, '');
  return /^[a-z0-9.-]+$/.test(host) || /^\[[0-9a-f:]+\]$/.test(host) ? host : '';
}

/** Is Counterpoint off on this page's host (or a parent domain the reader listed)? */
export function isSiteOff(settings: Pick<Settings, 'sitesOff'>, hostname: string): boolean {
  const host = normalizeSite(hostname);
  return settings.sitesOff.some((site) => host === site || host.endsWith(`.${site}`));
}

export function enabledTopics(settings: Pick<Settings, 'topicsOff'>, topicIds: string[]): Set<string> {
  const off = new Set(settings.topicsOff);
  return new Set(topicIds.filter((id) => !off.has(id)));
}

function hasAnySetting(raw: Record<string, unknown>): boolean {
  return Object.keys(raw).some((key) => key !== VERSION_KEY);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
