/**
 * Background: owns the database, answers the message protocol, keeps the
 * badge, and turns keyboard commands into messages for the active tab.
 * Everything is registered synchronously at start-up, so a suspended service
 * worker or event page that is woken by a message or command handles it.
 */
import { browser } from 'wxt/browser';
import { tabCall } from '@/lib/messaging';
import { migrateStoredSettings } from '@/lib/settings-store';
import { DatasetService } from './dataset-service';
import { createHandlers, route } from './handlers';

export default defineBackground(() => {
  const data = new DatasetService();
  const handlers = createHandlers(data);

  browser.runtime.onInstalled.addListener(() => {
    void migrateStoredSettings();
    void data.ensureReady();
  });
  browser.runtime.onStartup.addListener(() => void data.ensureReady());

  browser.runtime.onMessage.addListener((message: unknown, sender) => route(handlers, message, sender));

  browser.commands.onCommand.addListener(async (command, commandTab) => {
    if (command === 'open-companion') return openCompanion(commandTab?.windowId);
    const direction = command === 'next-mention' ? 1 : command === 'previous-mention' ? -1 : 0;
    if (!direction) return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await tabCall(tab.id, 'stepMention', { direction });
  });

  // Also covers "the bundled version differs from the stored one" on a plain start.
  void data.ensureReady();
});

/**
 * Opens the reading companion in Chromium's side panel (Firefox opens its
 * sidebar from the `_execute_sidebar_action` command itself). Must run in
 * the command's user gesture, so nothing is awaited before it.
 */
function openCompanion(windowId: number | undefined): Promise<void> | undefined {
  const sidePanel = (globalThis as { chrome?: { sidePanel?: { open(options: { windowId: number }): Promise<void> } } }).chrome?.sidePanel;
  if (!sidePanel || windowId === undefined) return undefined;
  return sidePanel.open({ windowId }).catch(() => undefined);
}
