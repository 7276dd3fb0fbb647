-- The terminal database after all migrations (user_version 21): sqlite_master of a fresh database,
-- grouped by table, each object under a "-- <type> <name> [on <table>]" line, its SQL as stored with the layout
-- normalised. Generated: do not edit by hand. After adding a migration (electron/core/db/migrations/),
-- regenerate it with `npm run schema:snapshot`.

-- table audit_checkpoints
CREATE TABLE audit_checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  terminal_id TEXT NOT NULL,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  root_hash TEXT NOT NULL CHECK (length(root_hash) = 64),
  created_at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  signature TEXT NOT NULL,
  -- The tree's compact range (JSON array of hex hashes, largest subtree first): lets the next checkpoint
  -- hash only the entries added since. Not signed; checked against the signed root before use.
  frontier TEXT NOT NULL CHECK (json_valid(frontier))
);

-- index audit_checkpoints_tree_size on audit_checkpoints
CREATE INDEX audit_checkpoints_tree_size ON audit_checkpoints (tree_size);

-- trigger audit_checkpoints_no_delete on audit_checkpoints
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

-- trigger audit_checkpoints_no_update on audit_checkpoints
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

-- table audit_exports
CREATE TABLE audit_exports (
  id TEXT PRIMARY KEY NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  filter_json TEXT NOT NULL CHECK (json_valid(filter_json)),
  csv_encoding TEXT NOT NULL CHECK (csv_encoding IN ('utf8bom','cp932')),
  status TEXT NOT NULL CHECK (status IN ('requested','approved','rejected','written')),
  decided_by TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  written_at TEXT,
  destination TEXT,
  manifest_sha256 TEXT,
  entries INTEGER,
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);

-- view audit_leaves
CREATE VIEW audit_leaves AS
  SELECT seq, prev_hash, hash FROM audit_purged_hashes
  UNION ALL
  SELECT seq, prev_hash, hash FROM audit_log;

-- table audit_log
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  staff_id TEXT,
  terminal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_atena_no TEXT,
  reason TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','rejected')),
  detail TEXT NOT NULL CHECK (json_valid(detail)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

-- index audit_log_action on audit_log
CREATE INDEX audit_log_action ON audit_log (action, seq) WHERE action <> 'residents.search';

-- index audit_log_at on audit_log
CREATE INDEX audit_log_at ON audit_log (at);

-- index audit_log_outcome on audit_log
CREATE INDEX audit_log_outcome ON audit_log (outcome, seq) WHERE outcome <> 'success';

-- index audit_log_staff on audit_log
CREATE INDEX audit_log_staff ON audit_log (staff_id, seq, at);

-- index audit_log_staff_at on audit_log
CREATE INDEX audit_log_staff_at ON audit_log (staff_id, at, action, target_atena_no) WHERE target_atena_no IS NOT NULL;

-- index audit_log_target on audit_log
CREATE INDEX audit_log_target ON audit_log (target_atena_no, seq) WHERE target_atena_no IS NOT NULL;

-- trigger audit_log_no_delete on audit_log
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  WHEN (SELECT value FROM sync_state WHERE key = 'audit_purge') IS NOT '1'
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- trigger audit_log_no_update on audit_log
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- table audit_purged_hashes
CREATE TABLE audit_purged_hashes (
  seq INTEGER PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

-- trigger audit_purged_hashes_no_delete on audit_purged_hashes
CREATE TRIGGER audit_purged_hashes_no_delete BEFORE DELETE ON audit_purged_hashes
  BEGIN SELECT RAISE(ABORT, 'audit_purged_hashes is append-only'); END;

-- trigger audit_purged_hashes_no_update on audit_purged_hashes
CREATE TRIGGER audit_purged_hashes_no_update BEFORE UPDATE ON audit_purged_hashes
  BEGIN SELECT RAISE(ABORT, 'audit_purged_hashes is append-only'); END;

-- table audit_purges
CREATE TABLE audit_purges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  purged_through_seq INTEGER NOT NULL,
  cutoff TEXT NOT NULL,
  entries INTEGER NOT NULL,
  checkpoint_id INTEGER NOT NULL REFERENCES audit_checkpoints (id),
  at TEXT NOT NULL
);

-- table authenticators
CREATE TABLE authenticators (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  credential_id TEXT NOT NULL UNIQUE,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL DEFAULT 0,
  transports TEXT NOT NULL DEFAULT '[]',
  label TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  revoke_reason TEXT,
  approver TEXT,
  approval_status TEXT NOT NULL DEFAULT 'pending' CHECK (approval_status IN ('pending', 'approved', 'bootstrap', 'legacy')),
  approval_json TEXT CHECK (approval_json IS NULL OR json_valid(approval_json))
);

-- index authenticators_staff on authenticators
CREATE INDEX authenticators_staff ON authenticators (staff_id);

-- table certificate_events
CREATE TABLE "certificate_events" (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  certificate_id TEXT NOT NULL REFERENCES certificates (id),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  event TEXT NOT NULL CHECK (event IN ('issue','renew','reissue','correct','supersede','recall','cancel','print','dv_release','mail')),
  reason TEXT
);

-- index certificate_events_certificate on certificate_events
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id, event);

-- index certificate_events_resident on certificate_events
CREATE INDEX certificate_events_resident ON certificate_events (resident_id);

-- table certificates
CREATE TABLE "certificates" (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  cert_type TEXT NOT NULL,
  certificate_no TEXT NOT NULL,
  public_payer_no TEXT,
  issue_kind TEXT NOT NULL CHECK (issue_kind IN ('new','renew','reissue','correct')),
  reissue_reason TEXT,
  issue_date TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),
  guardian_id TEXT REFERENCES residents (id),
  status TEXT NOT NULL CHECK (status IN ('valid','superseded','cancelled')),
  superseded_by TEXT REFERENCES certificates (id),
  details_json TEXT NOT NULL DEFAULT '{}',
  name_choice TEXT NOT NULL DEFAULT 'real' CHECK (name_choice IN ('real','alias')),
  print_sex INTEGER NOT NULL DEFAULT 1 CHECK (print_sex IN (0,1)),
  end_reason TEXT,
  recall_status TEXT NOT NULL DEFAULT 'none' CHECK (recall_status IN ('none','pending','recalled','not_returned')),
  recall_date TEXT,
  recall_kind TEXT,
  UNIQUE (cert_type, certificate_no)
);

-- index certificates_one_ticket on certificates
CREATE UNIQUE INDEX certificates_one_ticket ON certificates (resident_id, json_extract(details_json, '$.month'),
  json_extract(details_json, '$.institutionCode'), json_extract(details_json, '$.shinryo'))
  WHERE status = 'valid' AND deleted = 0 AND cert_type IN ('seikatsu_iryo', 'seikatsu_chozai', 'seikatsu_kaigo');

-- index certificates_one_valid on certificates
CREATE UNIQUE INDEX certificates_one_valid ON certificates (resident_id, cert_type)
  WHERE status = 'valid' AND deleted = 0 AND cert_type NOT IN ('seikatsu_iryo', 'seikatsu_chozai', 'seikatsu_kaigo');

-- index certificates_recall on certificates
CREATE INDEX certificates_recall ON certificates (cert_type, recall_status) WHERE recall_status = 'pending';

-- index certificates_resident on certificates
CREATE INDEX certificates_resident ON certificates (resident_id);

-- table claim_drafts
CREATE TABLE claim_drafts (
  staff_id TEXT NOT NULL,
  draft_key TEXT NOT NULL,
  data TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (staff_id, draft_key)
);

-- table claim_events
CREATE TABLE claim_events (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  claim_id TEXT NOT NULL REFERENCES claims (id),
  event TEXT NOT NULL,
  reason TEXT,
  detail_json TEXT NOT NULL DEFAULT '{}'
);

-- index claim_events_claim on claim_events
CREATE INDEX claim_events_claim ON claim_events (claim_id, created_at);

-- table claims
CREATE TABLE "claims" (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  claim_kind TEXT NOT NULL CHECK (claim_kind IN ('kodomo_shikaku','kodomo_shokan','kokuho_ryoyohi','kokuho_kogaku','kokuho_shussan', 'kokuho_sousai','yobou_genmen','yobou_kyusai')),
  claim_no TEXT NOT NULL,
  resident_id TEXT NOT NULL REFERENCES residents (id),
  applicant_id TEXT REFERENCES residents (id),
  application_date TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received','checked','decided','withdrawn')),
  input_json TEXT NOT NULL,
  identity_json TEXT NOT NULL,
  bank_json TEXT,
  calc_json TEXT NOT NULL,
  amount_yen INTEGER CHECK (amount_yen IS NULL OR amount_yen >= 0),
  deadline TEXT,
  deadline_expired INTEGER NOT NULL DEFAULT 0 CHECK (deadline_expired IN (0,1)),
  entered_by TEXT NOT NULL,
  checked_by TEXT,
  decided_by TEXT,
  decision TEXT CHECK (decision IS NULL OR decision IN ('支給','不支給','交付','却下','認定')),
  decision_reason TEXT,
  override_reason TEXT,
  decided_at TEXT,
  notice_no TEXT,
  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
  -- 二重チェック and 決裁 are never the enterer's (and the approver is not the checker).
  CHECK (checked_by IS NULL OR checked_by <> entered_by),
  CHECK (decided_by IS NULL OR (decided_by <> entered_by AND decided_by <> checked_by))
);

-- index claims_no on claims
CREATE UNIQUE INDEX claims_no ON claims (claim_no);

-- index claims_resident on claims
CREATE INDEX claims_resident ON claims (resident_id, application_date);

-- index claims_state on claims
CREATE INDEX claims_state ON claims (state, claim_kind) WHERE deleted = 0;

-- table fujo_flows
CREATE TABLE fujo_flows (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  flow_no TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('iryo_ikensho', 'iryo_direct', 'kaigo')),
  state TEXT NOT NULL CHECK (state IN ('received', 'tahou_queried', 'tahou_answered', 'opinion_issued', 'opinion_returned', 'doctor_reviewed', 'insurance_queried', 'insurance_answered', 'checked', 'decided', 'rejected', 'plan_requested', 'plan_received', 'abolish_proposed', 'abolish_checked', 'abolished')),
  applied_on TEXT NOT NULL,
  record_json TEXT NOT NULL CHECK (json_valid(record_json)),
  proofs_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(proofs_json))
);

-- index fujo_flows_no on fujo_flows
CREATE UNIQUE INDEX fujo_flows_no ON fujo_flows (flow_no) WHERE deleted = 0;

-- index fujo_flows_resident on fujo_flows
CREATE INDEX fujo_flows_resident ON fujo_flows (resident_id, applied_on) WHERE deleted = 0;

-- index fujo_flows_state on fujo_flows
CREATE INDEX fujo_flows_state ON fujo_flows (state) WHERE deleted = 0;

-- table health_insurance
CREATE TABLE health_insurance (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  insurer_no TEXT NOT NULL CHECK (insurer_no NOT GLOB '*[^0-9]*' AND length(insurer_no) IN (6, 8)),
  symbol TEXT NOT NULL,
  number TEXT NOT NULL,
  branch TEXT NOT NULL DEFAULT ''
);

-- index health_insurance_resident on health_insurance
CREATE INDEX health_insurance_resident ON health_insurance (resident_id);

-- table kodomo_shikaku
CREATE TABLE kodomo_shikaku (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents(id),
  atena_no TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  guardian_id TEXT,
  acquired_on TEXT NOT NULL,
  acquire_reason TEXT NOT NULL,
  insurer_name TEXT NOT NULL,
  insurance_kind TEXT NOT NULL,
  insured_relation TEXT NOT NULL,
  insurance_symbol TEXT NOT NULL,
  insurance_number TEXT NOT NULL,
  insurance_branch TEXT NOT NULL,
  delivery_json TEXT NOT NULL,
  lost_on TEXT,
  lose_reason TEXT,
  lose_notified_on TEXT,
  CHECK (lost_on IS NULL OR lost_on >= acquired_on),
  CHECK ((lost_on IS NULL) = (lose_reason IS NULL))
);

-- index kodomo_shikaku_claim on kodomo_shikaku
CREATE UNIQUE INDEX kodomo_shikaku_claim ON kodomo_shikaku (claim_id) WHERE deleted = 0;

-- index kodomo_shikaku_resident on kodomo_shikaku
CREATE INDEX kodomo_shikaku_resident ON kodomo_shikaku (resident_id, acquired_on) WHERE deleted = 0;

-- table kokuho_shikaku
CREATE TABLE kokuho_shikaku (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  atena_no TEXT NOT NULL,
  household_no TEXT NOT NULL,
  insurer_no TEXT NOT NULL,
  symbol TEXT NOT NULL,
  number TEXT NOT NULL,
  branch TEXT NOT NULL,
  acquired_on TEXT NOT NULL,
  acquire_reason TEXT NOT NULL,
  acquire_notified_on TEXT,
  lost_on TEXT,
  lose_reason TEXT,
  lose_notified_on TEXT,
  income_class TEXT,
  CHECK (lost_on IS NULL OR lost_on >= acquired_on)
);

-- index kokuho_shikaku_atena on kokuho_shikaku
CREATE INDEX kokuho_shikaku_atena ON kokuho_shikaku (atena_no, acquired_on) WHERE deleted = 0;

-- table mailing_items
CREATE TABLE mailing_items (
  run_id TEXT NOT NULL REFERENCES mailing_runs (id),
  seq INTEGER NOT NULL,
  resident_id TEXT NOT NULL REFERENCES residents (id),
  certificate_id TEXT REFERENCES certificates (id),
  snapshot_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','changed','held','printed')),
  message TEXT,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- table mailing_runs
CREATE TABLE mailing_runs (
  id TEXT PRIMARY KEY NOT NULL,
  title TEXT NOT NULL,
  cert_type TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('selected','validated','printing','done'))
);

-- table number_blocks
CREATE TABLE number_blocks (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  cert_type TEXT NOT NULL,
  next_serial INTEGER NOT NULL,
  last_serial INTEGER NOT NULL,
  source TEXT NOT NULL,
  expires_at TEXT,
  CHECK (next_serial <= last_serial + 1)
);

-- table outbox
CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_uuid TEXT NOT NULL UNIQUE,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  sent_at TEXT
);

-- index outbox_entity on outbox
CREATE INDEX outbox_entity ON outbox (entity, entity_id) WHERE sent_at IS NULL;

-- index outbox_unsent on outbox
CREATE INDEX outbox_unsent ON outbox (mutation_id) WHERE sent_at IS NULL;

-- table password_history
CREATE TABLE password_history (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  password_hash TEXT NOT NULL
);

-- index password_history_staff on password_history
CREATE INDEX password_history_staff ON password_history (staff_id, created_at);

-- table resident_guardians
CREATE TABLE resident_guardians (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  child_id TEXT NOT NULL REFERENCES residents (id),
  guardian_id TEXT NOT NULL REFERENCES residents (id),
  relationship TEXT NOT NULL,
  CHECK (child_id <> guardian_id)
);

-- index resident_guardians_child on resident_guardians
CREATE INDEX resident_guardians_child ON resident_guardians (child_id);

-- index resident_guardians_guardian on resident_guardians
CREATE INDEX resident_guardians_guardian ON resident_guardians (guardian_id);

-- table residents
CREATE TABLE residents (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  atena_no TEXT NOT NULL UNIQUE,
  name_kanji TEXT NOT NULL,
  name_kana TEXT NOT NULL,
  name_kana_key TEXT NOT NULL,
  alias_name TEXT,
  birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  sex TEXT NOT NULL CHECK (sex IN ('1','2','9')),
  postal_code TEXT NOT NULL,
  address TEXT NOT NULL,
  katagaki TEXT NOT NULL DEFAULT '',
  household_no TEXT NOT NULL,
  dv_support INTEGER NOT NULL DEFAULT 0 CHECK (dv_support IN (0,1)),
  non_disclosure INTEGER NOT NULL DEFAULT 0 CHECK (non_disclosure IN (0,1)),
  view_suspended INTEGER NOT NULL DEFAULT 0 CHECK (view_suspended IN (0,1)),
  has_my_number INTEGER NOT NULL DEFAULT 0 CHECK (has_my_number IN (0,1))
);

-- index residents_birth on residents
CREATE INDEX residents_birth ON residents (birth_date);

-- index residents_household on residents
CREATE INDEX residents_household ON residents (household_no);

-- index residents_kana on residents
CREATE INDEX residents_kana ON residents (name_kana_key, birth_date);

-- table retention_purged
CREATE TABLE retention_purged (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  purged_at TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- table rule_profiles
CREATE TABLE rule_profiles (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  municipality_code TEXT NOT NULL,
  profile_json TEXT NOT NULL CHECK (json_valid(profile_json)),
  published_at TEXT NOT NULL
);

-- index rule_profiles_municipality on rule_profiles
CREATE UNIQUE INDEX rule_profiles_municipality ON rule_profiles (municipality_code) WHERE deleted = 0;

-- table seiho_jukyu
CREATE TABLE seiho_jukyu (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  case_no TEXT NOT NULL,
  atena_no TEXT NOT NULL,
  household_no TEXT NOT NULL,
  head_flag TEXT NOT NULL CHECK (head_flag IN ('1', '2')),
  started_on TEXT NOT NULL,
  changed_on TEXT,
  ended_on TEXT,
  change_reason TEXT NOT NULL,
  caseworker TEXT NOT NULL,
  aid_kinds TEXT NOT NULL,
  CHECK (ended_on IS NULL OR ended_on > started_on)
);

-- index seiho_jukyu_case on seiho_jukyu
CREATE INDEX seiho_jukyu_case ON seiho_jukyu (case_no) WHERE deleted = 0;

-- index seiho_jukyu_resident on seiho_jukyu
CREATE INDEX seiho_jukyu_resident ON seiho_jukyu (resident_id, started_on) WHERE deleted = 0;

-- table staff
CREATE TABLE staff (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  staff_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('clerk','checker','approver','supervisor','administrator')),
  password_hash TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0,1)),
  name_kana TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '',
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
  may_self_enroll INTEGER NOT NULL DEFAULT 0 CHECK (may_self_enroll IN (0,1)),
  role_request TEXT CHECK (role_request IS NULL OR json_valid(role_request)),
  role_approval_json TEXT CHECK (role_approval_json IS NULL OR json_valid(role_approval_json))
);

-- table staff_grants
CREATE TABLE staff_grants (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  right_name TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT,
  approval_status TEXT NOT NULL DEFAULT 'pending' CHECK (approval_status IN ('pending', 'approved', 'bootstrap', 'legacy')),
  approval_json TEXT CHECK (approval_json IS NULL OR json_valid(approval_json)),
  CHECK (expires_at IS NULL OR expires_at > valid_from)
);

-- index staff_grants_staff on staff_grants
CREATE INDEX staff_grants_staff ON staff_grants (staff_id);

-- table sync_rejections
CREATE TABLE sync_rejections (
  mutation_id INTEGER PRIMARY KEY REFERENCES outbox (mutation_id),
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_at TEXT NOT NULL
);

-- table sync_snapshot_seen
CREATE TABLE sync_snapshot_seen (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- table sync_state
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- table sync_waiting
CREATE TABLE sync_waiting (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  change_json TEXT NOT NULL,
  since TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- table terminal_settings
CREATE TABLE terminal_settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- table vaccination_records
CREATE TABLE vaccination_records (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  resident_id TEXT NOT NULL REFERENCES residents (id),
  vaccine TEXT NOT NULL,
  stage TEXT,
  dose_number INTEGER NOT NULL CHECK (dose_number >= 1),
  administered_on TEXT NOT NULL,
  lot_number TEXT,
  institution TEXT NOT NULL,
  overseas INTEGER NOT NULL CHECK (overseas IN (0,1)),
  source TEXT NOT NULL,
  invalid INTEGER NOT NULL DEFAULT 0 CHECK (invalid IN (0,1)),
  invalidated_reason TEXT,
  invalidated_at TEXT,
  replaces TEXT REFERENCES vaccination_records (id),
  replaced_by TEXT REFERENCES vaccination_records (id)
);

-- index vaccination_records_resident on vaccination_records
CREATE INDEX vaccination_records_resident ON vaccination_records (resident_id, administered_on);

-- trigger vaccination_records_no_delete on vaccination_records
CREATE TRIGGER vaccination_records_no_delete BEFORE DELETE ON vaccination_records
  WHEN (SELECT value FROM sync_state WHERE key = 'snapshot_sweep') IS NOT '1'
  BEGIN SELECT RAISE(ABORT, '接種歴は削除できません'); END;
