/**
 * The toolbar badge: how many mentions the tab's page has. Badge text is set
 * per tab, so the browser keeps it across tab switches and across restarts of
 * the background; a navigation clears it, and the new page reports again.
 */
import { browser } from 'wxt/browser';
import { badgeText } from '@/lib/badge';

export async function setBadge(tabId: number, total: number): Promise<void> {
  const text = badgeText(total);
  const title = total ? browser.i18n.getMessage('badgeTitle', [String(total)]) : browser.i18n.getMessage('actionTitle');
  await Promise.all([
    browser.action.setBadgeText({ tabId, text }),
    browser.action.setTitle({ tabId, title }),
    browser.action.setBadgeBackgroundColor({ tabId, color: '#3b3b98' }),
  ]).catch(() => undefined); // the tab may have closed meanwhile
}
