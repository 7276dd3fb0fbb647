import type { Session } from 'electron';
import type { AuditAction } from '../../../shared/audit/actions';
import { isAppUrl } from '../app-origin';
import { originOnly } from './app-protocol';

export type ShellAudit = (action: AuditAction, detail: Record<string, unknown>) => void;

/**
 * Permissions the UI needs: none. Written down so the list stays short on purpose:
 * - printing is done by the main process (print service), not window.print permissions;
 * - the second factor (WebAuthn) is not a permission;
 * - the clipboard is written by the page's own copy handler (a user gesture), never read;
 * - no camera, microphone, screen capture, notifications, geolocation, sensors, MIDI, HID, USB, serial,
 *   Bluetooth, storage access, fullscreen or pointer lock: the counter never needs them.
 */
export const ALLOWED_PERMISSIONS: readonly string[] = [];

/**
 * Deny by default on the session: every permission request and check, every device chooser, screen
 * capture, downloads; the renderer's own network (anything but the app origin) is cancelled.
 */
export function lockDownSession(ses: Session, audit: ShellAudit): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    const ok = ALLOWED_PERMISSIONS.includes(permission);
    if (!ok) audit('shell.permissionDenied', { permission });
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.includes(permission));
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    audit('shell.deviceRefused', { kind: 'usb' });
    callback();
  });
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    audit('shell.deviceRefused', { kind: 'hid' });
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    audit('shell.deviceRefused', { kind: 'serial' });
    callback('');
  });
  ses.setDisplayMediaRequestHandler((_request, callback) => {
    audit('shell.screenCaptureRefused', {});
    callback(null);
  });
  ses.on('will-download', (event, item) => {
    event.preventDefault();
    audit('shell.downloadRefused', { origin: originOnly(item.getURL()) });
  });
  ses.setSpellCheckerEnabled(false); // the spell checker fetches dictionaries from the internet
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isAppUrl(details.url) || details.url.startsWith('devtools://');
    if (!allowed) audit('net.rendererRequestCancelled', { destination: originOnly(details.url) });
    callback({ cancel: !allowed });
  });
}
