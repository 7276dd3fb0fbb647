import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/** Identity and access: grants by 事務, authenticators (WebAuthn), password history, lockout, expiry. */
export const identityAndAccess: Migration = {
  version: 2,
  name: 'identity-and-access',
  up(db) {
    db.exec(`
      ALTER TABLE staff ADD COLUMN name_kana TEXT NOT NULL DEFAULT '';
      ALTER TABLE staff ADD COLUMN section TEXT NOT NULL DEFAULT '';
      ALTER TABLE staff ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE staff ADD COLUMN locked_until TEXT;
      ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1));
      -- Only the first administrator (provisioning) may register their own second factor at first login.
      ALTER TABLE staff ADD COLUMN may_self_enroll INTEGER NOT NULL DEFAULT 0 CHECK (may_self_enroll IN (0,1));
      ALTER TABLE staff DROP COLUMN can_reveal_my_number;

      CREATE TABLE staff_grants (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        right_name TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        revoked_by TEXT,
        CHECK (expires_at IS NULL OR expires_at > valid_from)
      );
      CREATE INDEX staff_grants_staff ON staff_grants (staff_id);

      CREATE TABLE authenticators (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        credential_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        counter INTEGER NOT NULL DEFAULT 0,
        transports TEXT NOT NULL DEFAULT '[]',
        label TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT,
        revoke_reason TEXT
      );
      CREATE INDEX authenticators_staff ON authenticators (staff_id);

      CREATE TABLE password_history (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        password_hash TEXT NOT NULL
      );
      CREATE INDEX password_history_staff ON password_history (staff_id, created_at);
    `);
  },
};
