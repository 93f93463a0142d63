/**
 * The settings page: topics, highlight looks, hover delay, sites where
 * Counterpoint is off, the keyboard shortcuts, and the dataset (information,
 * import, export, reset). Every change is saved at once; only values that
 * differ from the defaults are stored.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { pageCall } from '@/lib/messaging';
import type { DatasetInfo, TopicSummary } from '@/lib/protocol';
import { checkHoverDelay, HIGHLIGHT_STYLES, HOVER_DELAY_MAX, HOVER_DELAY_MIN, normalizeSite, type HighlightStyle, type Settings } from '@/lib/settings';
import { loadSettings, saveSettings, watchSettings } from '@/lib/settings-store';
import { t } from '@/lib/i18n';
import { topicColour } from '@/lib/theme';

type Status = { kind: 'ok' | 'warn' | 'error'; text: string; details?: string[] };

/** The message for a typed hover delay: what was saved and, when it differs from what was typed, why. */
export function delayMessage(input: string, current: number): { status: Status; save: number | null } {
  const check = checkHoverDelay(input);
  const bounds = [String(HOVER_DELAY_MIN), String(HOVER_DELAY_MAX)];
  if (!check.ok) return { status: { kind: 'error', text: t('optionsDelayNotNumber', [input.trim() || '—', ...bounds, String(current)]) }, save: null };
  const value = String(check.value);
  switch (check.adjusted) {
    case 'low':
      return { status: { kind: 'warn', text: t('optionsDelayLow', [value, input.trim(), String(HOVER_DELAY_MIN)]) }, save: check.value };
    case 'high':
      return { status: { kind: 'warn', text: t('optionsDelayHigh', [value, input.trim(), String(HOVER_DELAY_MAX)]) }, save: check.value };
    case 'rounded':
      return { status: { kind: 'warn', text: t('optionsDelayRounded', [value, input.trim()]) }, save: check.value };
    default:
      return { status: { kind: 'ok', text: t('optionsDelaySaved', [value]) }, save: check.value };
  }
}

export function Options(): JSX.Element {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [topics, setTopics] = useState<TopicSummary[]>([]);
  const [info, setInfo] = useState<DatasetInfo | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const [shortcuts, setShortcuts] = useState<{ name: string; shortcut: string; description: string }[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [newSite, setNewSite] = useState('');

  const refresh = async () => {
    const [index, data, notes] = await Promise.all([pageCall('getIndex', {}), pageCall('getDatasetInfo', {}), pageCall('getNotices', {})]);
    if (index.ok) setTopics(index.value.topics);
    if (data.ok) setInfo(data.value);
    else setStatus({ kind: 'error', text: data.error });
    if (notes.ok) setNotices(notes.value);
  };

  useEffect(() => {
    void loadSettings().then(setSettings);
    void refresh();
    void browser.commands
      .getAll()
      .then((all) => setShortcuts(all.map((c) => ({ name: c.name ?? '', shortcut: c.shortcut ?? '', description: c.description ?? '' }))));
    return watchSettings(setSettings);
  }, []);

  const save = async (patch: Partial<Settings>, saved: Status = { kind: 'ok', text: t('optionsSaved') }) => {
    // Shown at once, so the controls match what was chosen before the storage
    // event returns; put back from storage if the save fails.
    setSettings((current) => current && { ...current, ...patch });
    try {
      await saveSettings(patch);
      setStatus(saved);
    } catch (e) {
      setSettings(await loadSettings());
      setStatus({ kind: 'error', text: (e as Error).message });
    }
  };

  const importFile = async (file: File) => {
    setStatus(null);
    const text = await file.text();
    const reply = await pageCall('importDataset', { text });
    if (reply.ok) {
      setInfo(reply.value);
      setStatus({ kind: 'ok', text: t('optionsImported', [reply.value.version, String(reply.value.cards)]) });
    } else {
      setStatus({ kind: 'error', text: reply.error, details: reply.details });
    }
  };

  const reset = async () => {
    const reply = await pageCall('resetDataset', {});
    if (reply.ok) {
      setInfo(reply.value);
      setStatus({ kind: 'ok', text: t('optionsResetDone') });
    } else setStatus({ kind: 'error', text: reply.error });
  };

  const exportData = async () => {
    const reply = await pageCall('exportDataset', {});
    if (!reply.ok) return setStatus({ kind: 'error', text: reply.error });
    const url = URL.createObjectURL(new Blob([reply.value], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `counterpoint-dataset-${info?.version ?? 'export'}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  if (!settings)
    return (
      <main class="options">
        <p>{t('popupLoading')}</p>
      </main>
    );

  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      {notices.length > 0 && (
        <div class="notice" role="alert">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      <div aria-live="polite" class="status-slot">
        {status && (
          <div class={status.kind} role={status.kind === 'error' ? 'alert' : 'status'}>
            <p>{status.text}</p>
            {status.details && status.details.length > 0 && (
              <ul class="details">
                {status.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      <section aria-labelledby="h-general">
        <h2 id="h-general">{t('optionsGeneral')}</h2>
        <label class="switch">
          <input type="checkbox" checked={settings.enabled} onChange={(e) => void save({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
          {t('optionsEnabled')}
        </label>
        <label class="row">
          <span>{t('optionsHoverDelay')}</span>
          <input
            type="number"
            min={HOVER_DELAY_MIN}
            max={HOVER_DELAY_MAX}
            step={50}
            value={settings.hoverDelayMs}
            aria-describedby="delay-hint"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const { status: said, save: value } = delayMessage(input.value, settings.hoverDelayMs);
              // The field shows what is in effect, not what was typed.
              input.value = String(value ?? settings.hoverDelayMs);
              if (value === null) setStatus(said);
              else void save({ hoverDelayMs: value }, said);
            }}
          />
          <span>{t('optionsMs')}</span>
        </label>
        <p class="hint" id="delay-hint">
          {t('optionsDelayHint', [String(HOVER_DELAY_MIN), String(HOVER_DELAY_MAX)])}
        </p>
        <label class="switch">
          <input
            type="checkbox"
            data-setting="markEvery"
            checked={settings.markEvery}
            onChange={(e) => void save({ markEvery: (e.currentTarget as HTMLInputElement).checked })}
          />
          {t('optionsMarkEvery')}
        </label>
        <p class="hint">{t('optionsMarkEveryHint')}</p>
      </section>

      <section aria-labelledby="h-topics">
        <h2 id="h-topics">{t('optionsTopics')}</h2>
        <table class="topics">
          <tbody>
            {topics.map((topic) => (
              <tr key={topic.id} data-topic-row={topic.id}>
                <td>
                  <label class="switch">
                    <input
                      type="checkbox"
                      data-topic={topic.id}
                      checked={!settings.topicsOff.includes(topic.id)}
                      onChange={(e) => {
                        const on = (e.currentTarget as HTMLInputElement).checked;
                        void save({ topicsOff: on ? settings.topicsOff.filter((x) => x !== topic.id) : [...settings.topicsOff, topic.id] });
                      }}
                    />
                    <span
                      class="swatch"
                      aria-hidden="true"
                      style={{
                        background: topicColour(
                          topics.map((x) => x.id),
                          topic.id,
                        ).mark,
                      }}
                    />
                    {topic.name}
                  </label>
                  <p class="hint">{topic.description}</p>
                </td>
                <td>
                  <label>
                    <span class="sr">{t('optionsStyleFor', [topic.name])}</span>
                    <select
                      value={settings.topicStyles[topic.id] ?? 'dotted'}
                      onChange={(e) => {
                        const style = (e.currentTarget as HTMLSelectElement).value as HighlightStyle;
                        const next = { ...settings.topicStyles, [topic.id]: style };
                        if (style === 'dotted') delete next[topic.id];
                        void save({ topicStyles: next });
                      }}
                    >
                      {HIGHLIGHT_STYLES.map((s) => (
                        <option value={s} key={s}>
                          {t(`style_${s}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="h-sites">
        <h2 id="h-sites">{t('optionsSites')}</h2>
        <p class="hint">{t('optionsSitesHint')}</p>
        <ul class="sites">
          {settings.sitesOff.map((site) => (
            <li key={site}>
              <span>{site}</span>{' '}
              <button type="button" onClick={() => void save({ sitesOff: settings.sitesOff.filter((s) => s !== site) })}>
                {t('optionsRemoveSite', [site])}
              </button>
            </li>
          ))}
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const site = normalizeSite(newSite);
            if (!site) return setStatus({ kind: 'error', text: t('optionsBadSite', [newSite]) });
            if (!settings.sitesOff.includes(site)) void save({ sitesOff: [...settings.sitesOff, site] });
            setNewSite('');
          }}
        >
          <label>
            <span class="sr">{t('optionsAddSite')}</span>
            <input type="text" value={newSite} placeholder="example.com" onInput={(e) => setNewSite((e.currentTarget as HTMLInputElement).value)} />
          </label>{' '}
          <button type="submit">{t('optionsAddSite')}</button>
        </form>
      </section>

      <section aria-labelledby="h-keys">
        <h2 id="h-keys">{t('optionsShortcuts')}</h2>
        <ul>
          {shortcuts
            .filter((s) => s.name !== '_execute_action')
            .map((s) => (
              <li key={s.name}>
                <kbd>{s.shortcut || t('optionsNoShortcut')}</kbd> {s.description}
              </li>
            ))}
        </ul>
        <p class="hint">{t('optionsShortcutsHint')}</p>
      </section>

      <section aria-labelledby="h-data">
        <h2 id="h-data">{t('optionsDataset')}</h2>
        {info && (
          <dl class="info">
            <dt>{t('optionsVersion')}</dt>
            <dd data-testid="dataset-version">
              {info.version} ({t(`origin_${info.origin}`)})
            </dd>
            <dt>{t('optionsReviewed')}</dt>
            <dd>{info.reviewed}</dd>
            <dt>{t('optionsCounts')}</dt>
            <dd data-testid="dataset-counts">
              {t('optionsCountsValue', [String(info.cards), String(info.sources), String(info.facts), String(info.viewpoints)])}
            </dd>
            {info.coverage.firstFact && info.coverage.lastFact && (
              <>
                <dt>{t('optionsCoverage')}</dt>
                <dd data-testid="dataset-coverage">{t('optionsCoverageValue', [info.coverage.firstFact, info.coverage.lastFact])}</dd>
              </>
            )}
            {info.coverage.asOfOldest && info.coverage.asOfNewest && (
              <>
                <dt>{t('optionsAsOf')}</dt>
                <dd data-testid="dataset-asof">{t('optionsAsOfValue', [info.coverage.asOfOldest, info.coverage.asOfNewest])}</dd>
              </>
            )}
          </dl>
        )}
        <div class="buttons">
          <label class="file">
            <span>{t('optionsImport')}</span>
            <input
              type="file"
              accept="application/json,.json"
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                const file = input.files?.[0];
                if (file) void importFile(file).finally(() => (input.value = ''));
              }}
            />
          </label>
          <button type="button" onClick={() => void exportData()}>
            {t('optionsExport')}
          </button>
          <button type="button" onClick={() => void reset()}>
            {t('optionsReset')}
          </button>
        </div>
      </section>
      <section aria-labelledby="h-privacy">
        <h2 id="h-privacy">{t('optionsPrivacy')}</h2>
        <p class="hint">{t('optionsPrivacySummary')}</p>
        <p>
          <a href={browser.runtime.getURL('/privacy.html')} target="_blank" rel="noreferrer" data-testid="privacy-link">
            {t('optionsPrivacyLink')}
          </a>
        </p>
      </section>
    </main>
  );
}
