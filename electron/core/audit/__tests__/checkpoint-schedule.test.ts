import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded, RESOURCES_DIR } from '../../../../testing/core';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, keyFilePath } from '../../app-core';
import { FileKeyProvider } from '../../db/file-key-provider';
import { loadRuleProfile, profilePath } from '../../profile/load-profile';
import { IpcRouter } from '../../../ipc/router';
import { AUDIT_SEED_FILE, latestCheckpoint, verifyCheckpoint } from '../checkpoint';
import { CHECKPOINT_EVERY } from '../checkpoint-schedule';

/** When checkpoints are signed: at every session end, and every CHECKPOINT_EVERY entries after a request. */
let s: SeededCore;
beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-24T01:00:00Z'), households: 1 });
});
afterEach(() => s.cleanup());

const maxSeq = () => (s.core.db.prepare('SELECT max(seq) AS m FROM audit_log').get() as { m: number }).m;
const hashes = () => (s.core.db.prepare('SELECT hash FROM audit_log ORDER BY seq').all() as { hash: string }[]).map((r) => r.hash);

describe('checkpoint schedule', () => {
  it('a logout signs a checkpoint over everything logged up to it', async () => {
    await loginSeeded(s, 'c', 'D1001');
    expect(latestCheckpoint(s.core.db)).toBeNull();
    s.core.auth.logout('c');
    const cp = latestCheckpoint(s.core.db)!;
    expect(cp.treeSize).toBe(maxSeq());
    expect(verifyCheckpoint(cp, s.core.checkpoints.signer.publicKeyPem, hashes())).toMatchObject({ ok: true });
  });

  it(`after a request, a checkpoint once ${CHECKPOINT_EVERY} entries have been added since the last`, async () => {
    const router = new IpcRouter(s.core, { error: () => undefined });
    await loginSeeded(s, 'c', 'D1001');
    await router.handle({ senderId: 'c' }, 'auth.status', {});
    expect(latestCheckpoint(s.core.db)).toBeNull(); // fewer than CHECKPOINT_EVERY so far
    s.core.db.transaction(() => {
      for (let i = 0; i < CHECKPOINT_EVERY; i++) s.core.audit.append({ staffId: 'D1001', action: 'audit.verify', outcome: 'success' });
    })();
    await router.handle({ senderId: 'c' }, 'auth.status', {});
    expect(latestCheckpoint(s.core.db)!.treeSize).toBe(maxSeq());
  });
});

describe('the signing key fails closed', () => {
  it('once checkpoints are signed, a deleted signing key stops the core instead of being replaced; no new key appears', async () => {
    const seeded = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
    const keyFile = join(seeded.dataDir, AUDIT_SEED_FILE);
    try {
      expect(existsSync(keyFile)).toBe(true);
      expect(seeded.core.checkpoints.create('logout')).not.toBeNull();
      seeded.core.close();
      rmSync(keyFile);
      const reopen = () => createCore({ dataDir: seeded.dataDir, keyProvider: new FileKeyProvider(keyFilePath(seeded.dataDir)), clock: clockFrom('2026-11-22T02:00:00Z'), profile: loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka')) });
      expect(reopen).toThrow(/監査ログの署名鍵.*見つかりません.*新しい鍵は作りません/);
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      seeded.cleanup();
    }
  });
});
