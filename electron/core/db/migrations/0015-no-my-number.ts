import type { Migration } from '../migration-runner';

/**
 * 個人番号 stays on the central server (issue 16 §2): a terminal keeps only whether a person has one
 * (`has_my_number`, for the screen's 「登録あり」 and the reveal button); the number itself is asked of the server
 * when a member of staff with the right reveals it or searches by it. The column goes (its unique index first),
 * after its presence has been copied into the flag.
 */
export const noMyNumber: Migration = {
  version: 15,
  name: 'no-my-number',
  up(db) {
    db.exec(`
      ALTER TABLE residents ADD COLUMN has_my_number INTEGER NOT NULL DEFAULT 0 CHECK (has_my_number IN (0,1));
      UPDATE residents SET has_my_number = 1 WHERE my_number IS NOT NULL;
      DROP INDEX residents_my_number;
      ALTER TABLE residents DROP COLUMN my_number;
    `);
  },
};
