/**
 * The page side of the harness bridge, served as /__harness/bridge.js. It gives the page the same
 * `window.madoguchi.invoke(channel, payload)` the Electron preload exposes, carried over a loopback
 * WebSocket instead of Electron IPC, and reports user input for the idle lock. Kept as a string: it runs in the
 * page, not in Node.
 */
export const BRIDGE_SCRIPT = `(() => {
  'use strict';
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__harness/ipc?token=__HARNESS_TOKEN__');
  let next = 1;
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(undefined));
    ws.addEventListener('error', () => reject(new Error('bridge connection failed')));
  });
  const listeners = new Set();
  ws.addEventListener('message', (ev) => {
    const m = JSON.parse(ev.data);
    if (m.event) { for (const l of listeners) l(m.event); return; }
    const p = pending.get(m.id);
    if (p) { pending.delete(m.id); p(m.result); }
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p({ ok: false, error: { code: 'INTERNAL', message: '端末の処理部との接続が切れました。' } });
    pending.clear();
  });
  async function invoke(channel, payload) {
    await ready;
    const id = next++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, payload }));
    });
  }
  function onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  // Input (keys, pointer, wheel) is reported to the harness, which measures idle time from it on the core's clock,
  // as the shell measures the OS's idle time: the same idle lock and logout, testable in the browser.
  let lastReport = -Infinity;
  const activity = () => {
    const t = performance.now();
    if (t - lastReport < 1000) return;
    lastReport = t;
    ready.then(() => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ activity: true })); }, () => undefined);
  };
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) window.addEventListener(type, activity, { capture: true, passive: true });
  Object.defineProperty(window, 'madoguchi', { value: Object.freeze({ invoke, onEvent }), writable: false, configurable: false });
})();
`;
