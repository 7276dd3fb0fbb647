import { SYNC_ENTITIES } from '../../../shared/sync/protocol';

/**
 * The terminal database's schema: the migrations (one file each in ./migrations), and what they produce,
 * readable in one place, in ./schema.snapshot.sql.
 */
export { MIGRATIONS } from './migrations';

/**
 * Tables that hold domain records (and therefore follow the DOMAIN_COLUMNS convention). Every one is synced,
 * so the wire's list is the source (shared/ cannot import electron/); __tests__/sync-fields.test.ts checks it
 * and SYNC_ENTITY_FIELDS against the tables of a freshly migrated database.
 */
export const DOMAIN_TABLES = SYNC_ENTITIES;
