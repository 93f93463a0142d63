/**
 * Binds the pure settings rules to `browser.storage.sync`. Reads are allowed
 * everywhere; `saveSettings` is called from extension pages (and from the
 * background on a content script's behalf for the card's "less of this" actions).
 */
import { browser } from 'wxt/browser';
import { DEFAULTS, migrate, planSave, readSettings, type Settings } from './settings';

const SETTING_KEYS = Object.keys(DEFAULTS);

export async function loadSettings(): Promise<Settings> {
  const raw = (await browser.storage.sync.get(null)) as Record<string, unknown>;
  return readSettings(migrate(raw).raw);
}

/** Runs migrations once (background, on install/update). Settings survive extension updates. */
export async function migrateStoredSettings(): Promise<void> {
  const raw = (await browser.storage.sync.get(null)) as Record<string, unknown>;
  const { raw: next, changed } = migrate(raw);
  if (!changed) return;
  const stale = Object.keys(raw).filter((key) => !(key in next));
  if (stale.length) await browser.storage.sync.remove(stale);
  await browser.storage.sync.set(next);
}

/**
 * Saves a change. Only values that differ from the defaults are stored.
 * Throws with a readable message when storage refuses (quota, sync limits);
 * the caller shows it and keeps its state.
 */
export async function saveSettings(patch: Partial<Settings>): Promise<void> {
  const { set, remove } = planSave(patch);
  try {
    if (Object.keys(set).length) await browser.storage.sync.set(set);
    if (remove.length) await browser.storage.sync.remove(remove);
  } catch (error) {
    throw new Error(`Could not save settings: ${(error as Error).message}`, { cause: error });
  }
}

/** Calls `listener` with fresh settings whenever a setting changes in any context. */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area !== 'sync' || !Object.keys(changes).some((key) => SETTING_KEYS.includes(key))) return;
    void loadSettings().then(listener);
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
