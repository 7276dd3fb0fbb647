import type { WebContents } from 'electron';
import { isAppUrl } from '../app-origin';
import { originOnly } from './app-protocol';
import type { ShellAudit } from './session-guards';

/**
 * Per webContents: no navigation away from the app origin, no new windows, no <webview>, no Bluetooth
 * chooser, no devtools in a packaged build. shell.openExternal is never called anywhere.
 */
export function hardenWebContents(contents: WebContents, audit: ShellAudit, opts: { packaged: boolean }): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      audit('shell.navigationRefused', { destination: originOnly(url) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      audit('shell.navigationRefused', { destination: originOnly(url), redirect: true });
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    audit('shell.windowOpenRefused', { destination: originOnly(url) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    audit('shell.webviewRefused', {});
  });
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    audit('shell.deviceRefused', { kind: 'bluetooth' });
    callback('');
  });
  if (opts.packaged) {
    contents.on('devtools-opened', () => {
      contents.closeDevTools();
      audit('shell.devtoolsRefused', {});
    });
  }
}
