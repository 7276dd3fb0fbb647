/** The part of powerMonitor the idle watch needs. */
export interface PowerMonitorLike {
  getSystemIdleTime(): number;
  on(event: 'lock-screen' | 'suspend', listener: () => void): unknown;
}

export interface IdleActions {
  lock(reason: 'idle' | 'os_lock' | 'suspend'): void;
  logout(): void;
}

/**
 * The shell feeds it Electron's powerMonitor; the e2e harness feeds it the time since the page's last input on the
 * core's clock, so the same idle lock runs (and is tested) in the browser.
 *
 * Locks every session after the policy's idle time (OS-wide idle time, so typing elsewhere counts) and
 * immediately on the OS lock screen or suspend; logs out after the longer idle time.
 */
export class IdleWatch {
  private lockedForThisIdle = false;
  private loggedOutForThisIdle = false;

  constructor(
    private readonly pm: PowerMonitorLike,
    private readonly policy: { idleLockMinutes: number; idleLogoutMinutes: number },
    private readonly actions: IdleActions,
  ) {
    pm.on('lock-screen', () => actions.lock('os_lock'));
    pm.on('suspend', () => actions.lock('suspend'));
  }

  /** Call periodically (the shell uses a 10-second interval). */
  tick(): void {
    const idle = this.pm.getSystemIdleTime();
    if (idle < 5) {
      this.lockedForThisIdle = false;
      this.loggedOutForThisIdle = false;
      return;
    }
    if (!this.loggedOutForThisIdle && idle >= this.policy.idleLogoutMinutes * 60) {
      this.loggedOutForThisIdle = true;
      this.actions.logout();
    } else if (!this.lockedForThisIdle && idle >= this.policy.idleLockMinutes * 60) {
      this.lockedForThisIdle = true;
      this.actions.lock('idle');
    }
  }
}
