import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDb, rawOpen, type FreshDb } from '../../../../testing/db';
import { openDatabase, PAGE_CACHE_SIZE_KIB } from '../database';

describe('page cache of the terminal database', () => {
  let f: FreshDb;
  beforeEach(() => {
    f = freshDb();
  });
  afterEach(() => f.cleanup());

  it('openDatabase sets cache_size to the PAGE_CACHE_SIZE_KIB constant (in KiB), on a new and on an existing file', () => {
    expect(PAGE_CACHE_SIZE_KIB).toBe(524_288);
    expect(f.db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_SIZE_KIB);
    f.db.close();
    const again = openDatabase({ path: f.path, keyProvider: f.keyProvider });
    try {
      expect(again.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_SIZE_KIB);
      // Encrypted pages are never memory-mapped; the setting stays at its default.
      expect(again.pragma('mmap_size', { simple: true })).toBe(0);
    } finally {
      again.close();
    }
  });

  it('control: the same file opened without openDatabase runs with the much smaller library default', () => {
    f.db.close();
    const raw = rawOpen(f.path, f.keyPath);
    try {
      const dflt = raw.pragma('cache_size', { simple: true }) as number;
      expect(dflt).not.toBe(-PAGE_CACHE_SIZE_KIB);
      // Negative = KiB; the default (-16000, ≈ 16 MiB here) is what the terminal ran with before.
      expect(dflt).toBeLessThan(0);
      expect(-dflt).toBeLessThan(PAGE_CACHE_SIZE_KIB / 16);
    } finally {
      raw.close();
    }
  });
});
