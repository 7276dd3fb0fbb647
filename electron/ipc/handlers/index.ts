import type { HandlerTable } from '../types';
import { sessionHandlers } from './session';
import { residentsHandlers } from './residents';
import { syncHandlers } from './sync';
import { adminHandlers } from './admin';
import { claimsHandlers } from './claims';
import { certificatesHandlers } from './certificates';
import { auditHandlers } from './audit';
import { approvalsHandlers } from './approvals';
import { seikatsuHandlers } from './seikatsu';

/**
 * Channel → core service, one file per feature mirroring shared/ipc/*-contract.ts. Thin on purpose: the rules,
 * the audit entries and the row mapping live in the services; a handler only picks the service method.
 */
export const handlers: HandlerTable = {
  ...sessionHandlers,
  ...residentsHandlers,
  ...syncHandlers,
  ...adminHandlers,
  ...claimsHandlers,
  ...certificatesHandlers,
  ...auditHandlers,
  ...approvalsHandlers,
  ...seikatsuHandlers,
};
