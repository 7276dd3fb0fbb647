import type { Migration } from '../migration-runner';

/**
 * PLACEHOLDER, not to be merged: version 18 is reserved for another branch's migration, and the runner needs the
 * versions 1..n without gaps, so this branch (fujo-flows, migration 19) stands one in that does nothing. Delete this
 * file (and its line in ./index.ts) when the branch that owns 0018 is merged.
 */
export const reserved18: Migration = {
  version: 18,
  name: 'reserved',
  up() {},
};
