/** Moved to shared/audit so the central server can recompute entry hashes; kept here for existing imports. */
export { canonicalJson } from '../../../shared/audit/canonical-json';
