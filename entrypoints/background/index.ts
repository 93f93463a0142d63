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
import { openCompanionPanel } from '@/lib/companion';
import { defineBackground } from 'wxt/utils/define-background';

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
    if (command === 'open-companion') return void openCompanionPanel({ windowId: commandTab?.windowId });
    const direction = command === 'next-mention' ? 1 : command === 'previous-mention' ? -1 : 0;
    if (!direction) return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await tabCall(tab.id, 'stepMention', { direction });
  });

  // Also covers "the bundled version differs from the stored one" on a plain start.
  void data.ensureReady();
});
