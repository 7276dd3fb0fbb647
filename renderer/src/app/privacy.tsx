import { useEffect, useState } from 'react';
import { call } from '../lib/api';
import { useCoreClock } from '../lib/useCoreClock';
import { containsMyNumber } from '../../../shared/domain/mynumber';
import { jstDateTime } from '../../../shared/domain/wareki';

/** True while the window does not have focus: personal data is hidden (someone else may be looking). */
export function useWindowHidden(): boolean {
  const [hidden, setHidden] = useState(() => !document.hasFocus());
  useEffect(() => {
    const hide = () => setHidden(true);
    const show = () => setHidden(false);
    const vis = () => setHidden(document.visibilityState !== 'visible' || !document.hasFocus());
    window.addEventListener('blur', hide);
    window.addEventListener('focus', show);
    document.addEventListener('visibilitychange', vis);
    return () => {
      window.removeEventListener('blur', hide);
      window.removeEventListener('focus', show);
      document.removeEventListener('visibilitychange', vis);
    };
  }, []);
  return hidden;
}

export function PrivacyShield() {
  return (
    <div className="privacy-shield" role="status">
      画面を一時的に隠しています。ウィンドウをクリックすると再表示します。
    </div>
  );
}

/** A faint, repeated watermark of staff ID, terminal ID and the core's time on screens with personal data. */
export function Watermark({ staffId, terminalId }: { staffId: string; terminalId: string }) {
  const time = useCoreClock();
  const text = `${staffId}\u3000${terminalId}\u3000${time ? jstDateTime(time.now, { isoDate: true }) : ''}`.trimEnd();
  // Fixed to the viewport and clipped there (it never widens the page); the text is drawn by CSS from data-text, so
  // it is neither in the accessibility tree nor text a contrast check reads — it is a deterrent for cameras.
  return (
    <div className="watermark no-print" aria-hidden="true" data-testid="watermark" data-text={text}>
      <div className="watermark__tiles">
        {Array.from({ length: 48 }, (_, i) => (
          <span key={i} data-text={text} />
        ))}
      </div>
    </div>
  );
}

async function sha256Hex(text: string): Promise<string> {
  const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Every copy and cut goes through here: a selection holding a 個人番号 is never copied; anything else is
 * put on the clipboard by the app and its hash recorded, so lock and quit can clear it again.
 */
export function useClipboardGuard(onRefused: (message: string) => void): void {
  useEffect(() => {
    const handler = (e: ClipboardEvent) => {
      const text = document.getSelection()?.toString() ?? '';
      e.preventDefault();
      if (!text) return;
      if (containsMyNumber(text)) {
        onRefused('個人番号を含む内容はコピーできません。');
        return;
      }
      e.clipboardData?.setData('text/plain', text);
      void sha256Hex(text).then((sha256) => call('clipboard.recordCopy', { sha256 }).catch(() => undefined));
    };
    document.addEventListener('copy', handler);
    document.addEventListener('cut', handler);
    return () => {
      document.removeEventListener('copy', handler);
      document.removeEventListener('cut', handler);
    };
  }, [onRefused]);
}

/** Ctrl+Alt+L locks the screen (as the header's 画面ロック button does), from anywhere in the window. */
export function useLockShortcut(onLock: (() => void) | null): void {
  useEffect(() => {
    if (!onLock) return;
    const h = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && !e.shiftKey && !e.metaKey && e.code === 'KeyL') {
        e.preventDefault();
        onLock();
      }
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [onLock]);
}
