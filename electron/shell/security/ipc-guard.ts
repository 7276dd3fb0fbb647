import { isAppUrl } from '../app-origin';

/** The parts of IpcMainInvokeEvent the guard reads. */
export interface InvokeEventLike {
  sender: { id: number; mainFrame: unknown };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Checked before anything else in every ipcMain.handle: the request must come from the main frame of one
 * of our windows, showing our origin. A subframe, another origin or a destroyed frame is refused.
 */
export function isTrustedSender(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
