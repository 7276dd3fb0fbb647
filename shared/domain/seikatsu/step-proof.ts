import { FLOW_TRANSITIONS, type FlowKind, type FlowStep } from './flows';

/**
 * The member's own signature on the steps the two-person rule is about (the checks and the 決裁 of a 扶助 flow): a
 * WebAuthn assertion, user verification required, whose challenge is the SHA-256 (base64url) of the step's canonical
 * subject below — the flow, the version the step was taken on, the step, who took it and its input as stored. The
 * terminal verifies it against the member's credential before it stores the step (electron/core/seikatsu/
 * fujo-service.ts); the server verifies it again against the credential it holds itself (server/fujo.ts), as it does
 * for identity approvals (server/identity.ts). A typed staff ID is thus not a check or a 決裁. Entry steps (申請受理,
 * 照会, 回答 …) carry the logged-in member's ID, like a claim's 受付.
 */
export interface StepProof {
  hash: string;
  assertion: Record<string, unknown>;
}

/** Proofs by history index (as a string key). */
export type StepProofs = Record<string, StepProof>;

/** Whether a step needs the member's signature: a check or a 決裁 (not an entry). */
export function stepNeedsSignature(kind: FlowKind, action: string): boolean {
  const t = FLOW_TRANSITIONS[kind].find((d) => d.action === action);
  return t !== undefined && t.fn !== 'claim.enter';
}

/** A JSON value with its object keys sorted (undefined members left out): the same text on both sides. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** What a step's signature covers; `basedOn` is the flow's version the step was taken on (= its history index). */
export function stepSubject(flowId: string, basedOn: number, step: Pick<FlowStep, 'action' | 'by' | 'input'>): string {
  return canonicalJson({ v: 1, flowId, basedOn, action: step.action, by: step.by, input: step.input });
}
