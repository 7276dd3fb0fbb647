import type { BrowserWindow } from 'electron';

/** The event sources after which protection is applied again (the OS may drop it). */
export interface ProtectionTriggers {
  powerMonitor: { on(event: 'resume' | 'unlock-screen', listener: () => void): unknown };
  screen: { on(event: 'display-added' | 'display-removed' | 'display-metrics-changed', listener: () => void): unknown };
}

/**
 * setContentProtection(true) on every window at creation and again on show, restore, resume,
 * unlock-screen and display changes. On Linux the OS gives it no effect: `effective` says so, and the
 * posture check records it instead of pretending.
 */
export class ContentProtection {
  private readonly windows = new Set<BrowserWindow>();

  constructor(
    triggers: ProtectionTriggers,
    private readonly platform: NodeJS.Platform,
  ) {
    const all = () => this.reapplyAll();
    triggers.powerMonitor.on('resume', all);
    triggers.powerMonitor.on('unlock-screen', all);
    triggers.screen.on('display-added', all);
    triggers.screen.on('display-removed', all);
    triggers.screen.on('display-metrics-changed', all);
  }

  get effective(): boolean {
    return this.platform === 'win32' || this.platform === 'darwin';
  }

  protect(win: BrowserWindow): void {
    this.windows.add(win);
    win.setContentProtection(true);
    win.on('show', () => win.setContentProtection(true));
    win.on('restore', () => win.setContentProtection(true));
    win.on('closed', () => this.windows.delete(win));
  }

  reapplyAll(): void {
    for (const w of this.windows) if (!w.isDestroyed()) w.setContentProtection(true);
  }
}
