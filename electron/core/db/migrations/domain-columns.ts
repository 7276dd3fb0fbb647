/**
 * Columns every domain table carries: UUIDv7 key, optimistic-lock version, who/when, soft delete.
 * Rows are never hard-deleted; `deleted = 1` hides them.
 *
 * This text is part of shipped migrations (0001, 0002, 0005, 0006, 0010): never edit it. A table that needs
 * other common columns gets them in a new migration.
 */
export const DOMAIN_COLUMNS = `
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))`;
