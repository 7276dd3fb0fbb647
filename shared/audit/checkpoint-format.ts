/**
 * The signed form of an audit checkpoint (RFC 9162 Merkle root over a terminal's audit entry hashes), shared
 * by the terminal that signs it, the central server that checks it and the export verifier. Pure.
 */
export const CHECKPOINT_FORMAT = 'madoguchi-audit-checkpoint/v1';

export interface CheckpointFields {
  terminalId: string;
  treeSize: number;
  rootHash: string;
  createdAt: string;
  keyId: string;
}

/** The exact text the Ed25519 signature covers (UTF-8 encoded). */
export function checkpointSignedText(b: CheckpointFields): string {
  return `${CHECKPOINT_FORMAT}\n${b.terminalId}\n${b.treeSize}\n${b.rootHash}\n${b.createdAt}\n${b.keyId}\n`;
}
