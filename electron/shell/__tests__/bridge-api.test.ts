import { describe, expect, it } from 'vitest';
import { APP_EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../shared/ipc/transport';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { createBridge } from '../bridge-api';
import { Emitter } from './stand-in';

/** A recorded stand-in of ipcRenderer: what the preload forwards to the main process. */
function fakeIpc() {
  const sent: unknown[][] = [];
  const em = new Emitter();
  return {
    sent,
    em,
    ipc: {
      invoke: async (...args: unknown[]) => {
        sent.push(args);
        return { ok: true };
      },
      on: (ch: string, l: never) => em.on(ch, l),
      removeListener: (ch: string, l: never) => {
        em.listeners.set(ch, (em.listeners.get(ch) ?? []).filter((x) => x !== l));
        return em;
      },
    },
  };
}

describe('preload bridge', () => {
  it('forwards only the contract channels; anything else never reaches the main process', async () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc as never);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const ch of ['fs.readFile', 'madoguchi:invoke', '__proto__', 'toString', '']) {
      expect(await bridge.invoke(ch, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(await bridge.invoke(42 as never, {})).toMatchObject({ ok: false });
    expect(f.sent).toEqual([]);
    for (const ch of CHANNEL_NAMES) await bridge.invoke(ch, { x: 1 });
    expect(f.sent).toEqual(CHANNEL_NAMES.map((ch) => [INVOKE_CHANNEL, ch, { x: 1 }]));
  });

  it('delivers session events until unsubscribed', () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc as never);
    const got: unknown[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    f.em.emit(APP_EVENT_CHANNEL, {}, { type: 'locked', reason: 'idle' });
    off();
    f.em.emit(APP_EVENT_CHANNEL, {}, { type: 'ended', reason: 'logout' });
    expect(got).toEqual([{ type: 'locked', reason: 'idle' }]);
  });
});
