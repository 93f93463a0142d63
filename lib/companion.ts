/**
 * The reading companion's panel: Chromium's side panel, Firefox's sidebar.
 * Opened from the keyboard command (background), the popup's button and the
 * card's (through the background).
 */

/**
 * Opens the reading companion in the browser's panel beside the page:
 * Chromium's side panel, Firefox's sidebar. False when the browser has no
 * such panel or refuses (outside a user action).
 */
export async function openCompanionPanel(where: { windowId?: number; tabId?: number }): Promise<boolean> {
  const g = globalThis as {
    chrome?: { sidePanel?: { open(options: { windowId?: number; tabId?: number }): Promise<void> } };
    browser?: { sidebarAction?: { open(): Promise<void> } };
  };
  try {
    if (g.chrome?.sidePanel && (where.windowId !== undefined || where.tabId !== undefined)) {
      await g.chrome.sidePanel.open(where.tabId !== undefined ? { tabId: where.tabId } : { windowId: where.windowId });
      return true;
    }
    if (g.browser?.sidebarAction) {
      await g.browser.sidebarAction.open();
      return true;
    }
  } catch {
    // Refused: no user action in reach.
  }
  return false;
}
