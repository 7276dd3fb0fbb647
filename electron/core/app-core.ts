import { join } from 'node:path';
import { ruleProfileSchema, type RuleProfile } from '../../shared/domain/profile';
import { AuditLog, auditHighWater } from './audit/audit-log';
import { AuditReview } from './audit/audit-review';
import { AuditExports } from './audit/audit-export';
import { AuditCheckpoints } from './audit/checkpoint-schedule';
import { DEFAULT_AUDIT_RETENTION_YEARS, purgeExpiredAudit } from './audit/retention';
import { RecordRetention } from './retention/schedule';
import { AUDIT_SEED_FILE, openTerminalSigningKey, type TerminalSigningKey } from './audit/checkpoint';
import { FileKeyProvider } from './db/file-key-provider';
import type { ExportDestinationOptions } from './media/removable';
import { AuthService } from './auth/auth-service';
import { toSessionInfo, type Actor } from './actor';
import type { SessionInfo } from '../../shared/ipc/contract';
import { ConflictReview } from './sync/conflict-review';
import { ClipboardLedger } from './clipboard-ledger';
import { CertificateLifecycle, type AidFlows } from './certificates/lifecycle-service';
import { MailingService } from './certificates/mailing-service';
import type { RuleTables } from '../../shared/domain/claims/rule-tables';
import { createBankDirectory, type BankDirectory } from './claims/bank-directory';
import { ClaimService } from './claims/claim-service';
import { KodomoShikakuService } from './claims/kodomo-shikaku-service';
import { ClaimNotices } from './claims/claim-notice';
import { VaccinationService } from './claims/vaccination-service';
import { FujoService } from './seikatsu/fujo-service';
import { openDatabase, type Db } from './db/database';
import type { Clock, KeyProvider } from './platform';
import type { Printing } from './printing/print-port';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './policy/policy';
import { DEFAULT_WEBAUTHN, type WebAuthnConfig } from './auth/webauthn';
import { StaffAdmin } from './admin/staff-admin';
import { RosterImport } from './admin/roster';
import { IdentityApprovals } from './admin/approvals';
import { SyncEngine, type SyncTransport } from './sync/sync-engine';
import { SyncRunner } from './sync/sync-runner';
import { ResidentService } from './residents/resident-service';
import { readTerminalSettings, type TerminalSettings } from './db/terminal-settings';

export interface CoreOptions {
  dataDir: string;
  keyProvider: KeyProvider;
  clock: Clock;
  profile: RuleProfile;
  /** Demo mode: only the harness's `npm run demo` sets this; the UI labels everything as demo data. */
  demo?: boolean;
  /** The print service and the policy's allowed printers; without it, printing is refused. */
  printing?: Printing;
  /** Password and lockout rules from policy (defaults: 12 chars, 90 days, last 5, 5 failures → 15 min). */
  password?: PasswordPolicy;
  /** WebAuthn relying party: the packaged app's origin by default; the harness passes its own. */
  webauthn?: WebAuthnConfig;
  /** The pinned client to the central server; without it the terminal works offline (縮退運用). */
  syncTransport?: SyncTransport | null;
  /** Hours a terminal with a central server may go without a successful sync before logins stop (72). */
  offlineGraceHours?: number;
  /** The dated rule tables (resources/rules); without them claims that need a table cannot be computed. */
  ruleTables?: RuleTables;
  /** The 全銀 bank/branch list; the zengin-code package by default. */
  banks?: BankDirectory;
  /** The terminal's Ed25519 key for audit checkpoints (tests); otherwise opened from `auditKeyProvider`. */
  auditSigner?: TerminalSigningKey;
  /** Keeps the signing key's seed: safeStorage in the shell; a 0600 key file in the data dir by default. */
  auditKeyProvider?: KeyProvider;
  /** Where approved audit exports may be written (policy.exportDestination); exports are off without it. */
  exportDestination?: ExportDestinationOptions;
  /** How far the clock may differ from the central server's before issuance stops (policy; 5 by default). */
  maxClockSkewMinutes?: number;
  /** Years audit entries are kept on the terminal before the (server-acknowledged) purge; 5 by default. */
  auditRetentionYears?: number;
  /** How often the core checks for a new Japan day to purge records past their 保存年限 (RETENTION_CHECK_MS: 10 minutes). */
  retentionCheckMs?: number;
  /** The 生活保護 扶助 flows the 給付券 are issued under: by default the terminal's own (FujoService); a test may hand its own. */
  aidFlows?: AidFlows;
}

/** The application core: one database owner and the services on it. No Electron imports. */
export interface Core {
  db: Db;
  settings: TerminalSettings;
  profile: RuleProfile;
  clock: Clock;
  demo: boolean;
  audit: AuditLog;
  auth: AuthService;
  residents: ResidentService;
  lifecycle: CertificateLifecycle;
  mailing: MailingService;
  claims: ClaimService;
  kodomoShikaku: KodomoShikakuService;
  notices: ClaimNotices;
  review: AuditReview;
  exports: AuditExports;
  checkpoints: AuditCheckpoints;
  vaccinations: VaccinationService;
  /** 生活保護 医療扶助・介護扶助 flows (issue 17). */
  fujo: FujoService;
  clipboard: ClipboardLedger;
  staffAdmin: StaffAdmin;
  roster: RosterImport;
  approvals: IdentityApprovals;
  sync: SyncRunner;
  conflicts: ConflictReview;
  /** The purge of records past their 保存年限: run at start, then once per Japan day while the core runs. */
  retention: RecordRetention;
  /** What the login screen and the topbar show: terminal, municipality, demo flag and the caller's session. */
  statusFor(actor: Actor | null): TerminalStatus;
  close(): void;
}

export interface TerminalStatus {
  provisioned: boolean;
  demo: boolean;
  terminalId: string;
  municipalityName: string;
  session: SessionInfo | null;
}

export const DATABASE_FILE = 'madoguchi.db';

/** The centrally published profile of the same municipality when it validates; otherwise the shipped one. */
function effectiveProfile(db: Db, audit: AuditLog, shipped: RuleProfile): RuleProfile {
  const row = db
    .prepare<[string], { profile_json: string; version: number }>('SELECT profile_json, version FROM rule_profiles WHERE municipality_code = ? AND deleted = 0')
    .get(shipped.municipalityCode);
  if (!row) return shipped;
  let raw: unknown;
  try {
    raw = JSON.parse(row.profile_json);
  } catch {
    raw = null;
  }
  const parsed = ruleProfileSchema.safeParse(raw);
  if (!parsed.success || parsed.data.municipalityCode !== shipped.municipalityCode) {
    audit.append({ staffId: null, action: 'profile.load', outcome: 'failure', detail: { source: 'central', version: row.version, why: 'invalid' } });
    return shipped;
  }
  audit.append({ staffId: null, action: 'profile.load', outcome: 'success', detail: { source: 'central', version: row.version, id: parsed.data.id } });
  return parsed.data;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export function createCore(opts: CoreOptions): Core {
  const db = openDatabase({ path: databasePath(opts.dataDir), keyProvider: opts.keyProvider });
  try {
    const settings = readTerminalSettings(db);
    const audit = new AuditLog(db, { terminalId: settings.terminalId }, opts.clock);
    // A profile published centrally for this municipality (pulled by sync) replaces the shipped one when valid.
    const profile = effectiveProfile(db, audit, opts.profile);
    const password = opts.password ?? DEFAULT_PASSWORD_POLICY;
    const webauthn = opts.webauthn ?? { ...DEFAULT_WEBAUTHN, origins: [...DEFAULT_WEBAUTHN.origins] };
    const sync = new SyncRunner(new SyncEngine(db, audit, opts.clock, settings.terminalId), opts.syncTransport ?? null, undefined, { db, terminalId: settings.terminalId }, opts.maxClockSkewMinutes);
    // For "how long since" checks (offline grace, password expiry) time may not go back: the later of the clock and
    // the audit log's last entry, so a clock set back does not stretch them.
    const securityNow = (): Date => {
      const now = opts.clock.now();
      const high = auditHighWater(db);
      return high !== null && high > now.toISOString() ? new Date(high) : now;
    };
    const graceHours = opts.offlineGraceHours ?? 72;
    // With a central server configured, users and revocations come down by pull: after the grace period
    // without a successful sync, nobody may log in on this terminal.
    const offlineLoginRefusal = (): string | null => {
      if (!sync.configured) return null;
      const last = sync.status().lastSuccessAt;
      if (last && securityNow().getTime() - Date.parse(last) <= graceHours * 3_600_000) return null;
      return `中央サーバと${graceHours}時間以上同期できていないため、この端末ではログインできません。ネットワークを確認するか、システム管理者に連絡してください。`;
    };
    const signer = opts.auditSigner ?? openTerminalSigningKey(db, opts.dataDir, opts.auditKeyProvider ?? new FileKeyProvider(join(opts.dataDir, AUDIT_SEED_FILE)));
    const checkpoints = new AuditCheckpoints(db, audit, opts.clock, signer);
    // Retention runs at every start: only entries past retention AND acknowledged by the server go.
    try {
      purgeExpiredAudit(db, audit, opts.clock, signer, opts.auditRetentionYears ?? DEFAULT_AUDIT_RETENTION_YEARS);
    } catch (e) {
      audit.append({ staffId: null, action: 'audit.retentionPurge', outcome: 'failure', detail: { why: (e as Error).message.slice(0, 300) } });
    }
    // So do the domain records past their 保存年限 (the profile's retention; a local purge, never pushed), and again
    // each Japan day while the core runs (the timer starts below, once the core is built).
    const retention = new RecordRetention(db, audit, opts.clock, profile.retention, () => sync.roundInFlight);
    retention.run();
    const auth = new AuthService(db, audit, opts.clock, {
      password,
      webauthn,
      demo: opts.demo ?? false,
      offlineLoginRefusal,
      securityNow,
      claimSession: (staffId) => sync.claimSession(staffId),
      releaseSession: (staffId) => {
        sync.releaseSession(staffId);
        checkpoints.create('logout');
      },
    });
    const residents = new ResidentService(db, audit, opts.clock, profile.privacy, () => sync.server);
    const fujo = new FujoService(db, audit, opts.clock, residents, settings.terminalId, webauthn);
    // The 給付券 are issued only within a decided 扶助: the flows the terminal holds (a test may hand its own).
    const lifecycle = new CertificateLifecycle(db, audit, opts.clock, residents, profile, opts.printing ?? null, () => sync.clockProblem(), opts.aidFlows ?? fujo);
    const kodomoShikaku = new KodomoShikakuService(db, audit, opts.clock, residents, lifecycle);
    const claims = new ClaimService(db, audit, opts.clock, residents, profile, opts.ruleTables ?? null, opts.banks ?? createBankDirectory(), settings.terminalId, kodomoShikaku);
    retention.start(opts.retentionCheckMs);
    return {
      db,
      settings,
      profile: profile,
      clock: opts.clock,
      demo: opts.demo ?? false,
      audit,
      auth,
      residents,
      lifecycle,
      mailing: new MailingService(db, audit, opts.clock, lifecycle),
      claims,
      kodomoShikaku,
      review: new AuditReview(db, audit),
      exports: new AuditExports(db, audit, opts.clock, signer, opts.exportDestination ?? { exportDestination: null }, settings.terminalId),
      checkpoints,
      notices: new ClaimNotices(db, audit, opts.clock, residents, profile, claims, opts.printing ?? null),
      vaccinations: new VaccinationService(db, audit, opts.clock, residents),
      fujo,
      clipboard: new ClipboardLedger(),
      staffAdmin: new StaffAdmin(db, audit, opts.clock, webauthn, password),
      roster: new RosterImport(db, audit, opts.clock),
      approvals: new IdentityApprovals(db, audit, opts.clock, webauthn),
      sync,
      conflicts: new ConflictReview(sync, audit),
      retention,
      statusFor: (actor) => ({
        provisioned: settings.provisioned && auth.isProvisioned(),
        demo: opts.demo ?? false,
        terminalId: settings.terminalId,
        municipalityName: profile.municipalityName,
        session: actor ? toSessionInfo(actor) : null,
      }),
      close: () => {
        retention.stop();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

export const KEY_FILE = 'madoguchi.key';
/** The shell's keys in the data directory, each wrapped with safeStorage: the database key and the audit signing key's seed. */
export const WRAPPED_KEY_FILE = 'madoguchi.key.enc';
export const WRAPPED_AUDIT_KEY_FILE = 'madoguchi-audit.key.enc';
export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}
