import { defineConfig } from 'vitest/config';

// Unit tests: domain, database, services, IPC validation. All run against real components (a real
// encrypted SQLite file in a temp dir, real argon2), nothing mocked but the Electron runtime.
export default defineConfig({
  test: {
    include: ['shared/**/__tests__/**/*.test.ts', 'electron/**/__tests__/**/*.test.ts', 'e2e/harness/__tests__/**/*.test.ts', 'server/**/__tests__/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
  },
});
