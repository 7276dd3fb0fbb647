import { create } from 'zustand';
import { channels, type ChannelName, type ResponseOf, type SessionInfo } from '../../../shared/ipc/contract';
import { allows } from '../../../shared/ipc/access';
import type { AccessReason } from '../../../shared/domain/resident';
import type { ClaimKind } from '../../../shared/domain/claims/claim-kinds';
import type { CertType } from '../../../shared/domain/certificate-types';

export type Screen =
  | { name: 'search' }
  | { name: 'admin' }
  /** 承認待ち (issue 13 §2): the 所属長's confirmations of grants, authenticators and role changes. */
  | { name: 'approvals' }
  /** 同期の状態; `back` is the screen it was opened from. */
  | { name: 'sync'; back?: Screen }
  | { name: 'none' }
  | { name: 'resident'; residentId: string }
  /** 請求 (issue 6): own entries, 要確認, 要決裁. */
  | { name: 'claimQueue'; queue: 'mine' | 'check' | 'approve' }
  /** Entry of a new claim for a resident (kind chosen on the screen), or a correction of claimId. */
  | { name: 'claimEntry'; residentId: string; kind: ClaimKind | null; claimId: string | null }
  | { name: 'claim'; claimId: string; back: Screen }
  | { name: 'claimNotice'; claimId: string; back: Screen }
  /** Certificates of every type (issue 7): issue, preview/print, per-resident history, 回収リスト, 一斉発送. */
  | { name: 'certIssue'; residentId: string; type: CertType }
  | { name: 'certPreview'; residentId: string; certificateId: string; back: Screen }
  | { name: 'certHistory'; residentId: string }
  | { name: 'recallList' }
  | { name: 'recallNotice'; certificateId: string }
  | { name: 'mailing' }
  /** 監査ログ (issue 8): the supervisor's review, and export requests/approvals. */
  | { name: 'auditReview' }
  | { name: 'auditExport' }
  /** 生活保護 医療扶助・介護扶助 (issue 17): one flow, the work lists, the blank 要否意見書. */
  | { name: 'fujo'; flowId: string; back: Screen }
  | { name: 'fujoQueue'; queue: 'enter' | 'check' | 'approve' }
  | { name: 'opinionForm'; residentId: string; back: Screen }
  /** 給付券の月次交付: the standing lines of a month, issued and listed per 指定機関 for the mailing. */
  | { name: 'ticketRun' };

export type Status = ResponseOf<'auth.status'>;

/** The first screen a session may use: only what its rights allow is ever shown. */
export function homeScreen(s: SessionInfo): Screen {
  const may = (channel: ChannelName) => allows(channels[channel].access, s);
  if (may('residents.search')) return { name: 'search' };
  if (may('admin.staff.list')) return { name: 'admin' };
  if (may('audit.review')) return { name: 'auditReview' };
  if (may('audit.exports.list')) return { name: 'auditExport' };
  return { name: 'none' };
}

/** The 処理事由 stays while the screens are about the same resident (or about no resident: a claim, a queue). */
function keepsReason(reasonFor: string | null, next: Screen): boolean {
  if (next.name === 'search') return false;
  return !('residentId' in next) || next.residentId === reasonFor;
}

interface AppState {
  status: Status | null;
  session: SessionInfo | null;
  screen: Screen;
  /**
   * 処理事由 chosen when the resident `reasonFor` was opened (there is no preset), sent with every read of that
   * resident's record. Forgotten on the search screen and when another resident's screen opens.
   */
  reason: AccessReason | null;
  reasonFor: string | null;
  notice: string | null;
  setStatus(s: Status): void;
  loggedIn(s: SessionInfo): void;
  /** The main process locked the session: every screen with personal data unmounts. */
  locked(): void;
  /** Back to the initial screen with no resident context (logout, session lost). */
  reset(notice?: string): void;
  go(screen: Screen): void;
  setReason(residentId: string, r: AccessReason): void;
  setNotice(n: string | null): void;
}

export const useApp = create<AppState>((set) => ({
  status: null,
  session: null,
  screen: { name: 'none' },
  reason: null,
  reasonFor: null,
  notice: null,
  setStatus: (status) => set((st) => ({ status, session: status.session, screen: status.session && st.screen.name === 'none' ? homeScreen(status.session) : st.screen })),
  loggedIn: (session) => set({ session, screen: homeScreen(session), notice: null }),
  locked: () => set((st) => (st.session ? { session: { ...st.session, locked: true } } : {})),
  reset: (notice) => set({ session: null, screen: { name: 'none' }, notice: notice ?? null, reason: null, reasonFor: null }),
  go: (screen) => set((st) => ({ screen, notice: null, ...(keepsReason(st.reasonFor, screen) ? {} : { reason: null, reasonFor: null }) })),
  setReason: (residentId, reason) => set({ reason, reasonFor: residentId }),
  setNotice: (notice) => set({ notice }),
}));
