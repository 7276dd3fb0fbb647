-- The central server database after all migrations (1 sync-foundation, 2 number-leases, 3 staff-sessions, 4 pull-scope, 5 audit-entries, 6 audit-checkpoints, 7 staff-sessions-per-municipality, 8 identity-approvals, 9 interface-import, 10 ido-work, 11 kodomo-shikaku-job, 12 retired-terminals, 13 retention-purge-job, 14 mynumber-access, 15 mynumber-confirmations, 16 population, 17 mynumber-confirmation-decisions, 18 seiho-jukyu, 19 staff-population, 20 onshi-export, 21 seikatsu-lookups):
-- the public schema of a freshly migrated PostgreSQL, read from pg_catalog. Generated: do not edit by hand.
-- After adding a migration (server/migrations/), regenerate it with `npm run schema:snapshot`.

-- table audit_checkpoints
CREATE TABLE audit_checkpoints (
  terminal_id text NOT NULL,
  checkpoint_id bigint NOT NULL,
  tree_size bigint NOT NULL,
  root_hash text NOT NULL,
  created_at text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  received_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (terminal_id, checkpoint_id)
);

-- table audit_entries
CREATE TABLE audit_entries (
  terminal_id text NOT NULL,
  seq bigint NOT NULL,
  at text NOT NULL,
  staff_id text,
  action text NOT NULL,
  target_atena_no text,
  reason text,
  outcome text NOT NULL,
  detail text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  received_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT audit_entries_pkey PRIMARY KEY (terminal_id, seq),
  CONSTRAINT audit_entries_hash_check CHECK ((hash ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT audit_entries_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'failure'::text, 'rejected'::text]))),
  CONSTRAINT audit_entries_prev_hash_check CHECK ((prev_hash ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT audit_entries_seq_check CHECK ((seq > 0))
);

-- table audit_heads
CREATE TABLE audit_heads (
  terminal_id text NOT NULL,
  head_seq bigint NOT NULL DEFAULT 0,
  head_hash text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'::text,
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT audit_heads_pkey PRIMARY KEY (terminal_id),
  CONSTRAINT audit_heads_head_seq_check CHECK ((head_seq >= 0))
);

-- table audit_keys
CREATE TABLE audit_keys (
  terminal_id text NOT NULL,
  key_id text NOT NULL,
  public_key_pem text NOT NULL,
  registered_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT audit_keys_pkey PRIMARY KEY (terminal_id)
);

-- table conflicts
CREATE TABLE conflicts (
  conflict_id bigint NOT NULL DEFAULT nextval('conflicts_conflict_id_seq'::regclass),
  terminal_id text NOT NULL,
  mutation_id bigint NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  op text NOT NULL,
  client_version integer,
  server_version integer,
  client_payload jsonb NOT NULL,
  server_payload jsonb,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  resolved_at timestamp with time zone,
  resolved_by text,
  resolution text,
  CONSTRAINT conflicts_pkey PRIMARY KEY (conflict_id),
  CONSTRAINT conflicts_terminal_id_mutation_id_fkey FOREIGN KEY (terminal_id, mutation_id) REFERENCES mutations(terminal_id, mutation_id)
);

-- index conflicts_open on conflicts
CREATE INDEX conflicts_open ON public.conflicts USING btree (created_at) WHERE (resolved_at IS NULL);

-- table entities
CREATE TABLE entities (
  entity text NOT NULL,
  entity_id text NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  updated_by_terminal text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  server_seq bigint NOT NULL DEFAULT nextval('entities_server_seq_seq'::regclass),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  municipality text,
  jimu text,
  owner_terminal text,
  CONSTRAINT entities_pkey PRIMARY KEY (entity, entity_id),
  CONSTRAINT entities_version_check CHECK ((version >= 1))
);

-- index entities_certificate_resident on entities
CREATE INDEX entities_certificate_resident ON public.entities USING btree (((payload ->> 'resident_id'::text))) WHERE (entity = 'certificates'::text);

-- index entities_guardian_child on entities
CREATE INDEX entities_guardian_child ON public.entities USING btree (((payload ->> 'child_id'::text))) WHERE (entity = 'resident_guardians'::text);

-- index entities_kodomo_shikaku_resident on entities
CREATE INDEX entities_kodomo_shikaku_resident ON public.entities USING btree (((payload ->> 'resident_id'::text))) WHERE (entity = 'kodomo_shikaku'::text);

-- index entities_person_applicant on entities
CREATE INDEX entities_person_applicant ON public.entities USING btree (((payload ->> 'applicant_id'::text))) WHERE (entity = 'claims'::text);

-- index entities_person_guardian on entities
CREATE INDEX entities_person_guardian ON public.entities USING btree (((payload ->> 'guardian_id'::text))) WHERE (entity = ANY (ARRAY['resident_guardians'::text, 'certificates'::text, 'kodomo_shikaku'::text]));

-- index entities_person_resident on entities
CREATE INDEX entities_person_resident ON public.entities USING btree (((payload ->> 'resident_id'::text))) WHERE (entity = ANY (ARRAY['health_insurance'::text, 'claims'::text, 'vaccination_records'::text, 'certificate_events'::text]));

-- index entities_resident_atena on entities
CREATE INDEX entities_resident_atena ON public.entities USING btree (municipality, ((payload ->> 'atena_no'::text))) WHERE (entity = 'residents'::text);

-- index entities_resident_birth on entities
CREATE INDEX entities_resident_birth ON public.entities USING btree (municipality, ((payload ->> 'birth_date'::text))) WHERE (entity = 'residents'::text);

-- index entities_resident_household on entities
CREATE INDEX entities_resident_household ON public.entities USING btree (municipality, ((payload ->> 'household_no'::text))) WHERE (entity = 'residents'::text);

-- index entities_scope_seq on entities
CREATE INDEX entities_scope_seq ON public.entities USING btree (municipality, server_seq);

-- index entities_seikatsu_person on entities
CREATE INDEX entities_seikatsu_person ON public.entities USING btree (municipality, ((payload ->> 'resident_id'::text))) WHERE (entity = ANY (ARRAY['fujo_flows'::text, 'certificates'::text]));

-- index entities_seikatsu_tickets on entities
CREATE INDEX entities_seikatsu_tickets ON public.entities USING btree (municipality, ((payload ->> 'valid_to'::text))) WHERE ((entity = 'certificates'::text) AND ((payload ->> 'cert_type'::text) = ANY (ARRAY['seikatsu_iryo'::text, 'seikatsu_chozai'::text])));

-- index entities_server_seq on entities
CREATE UNIQUE INDEX entities_server_seq ON public.entities USING btree (server_seq);

-- index entities_staff_id on entities
CREATE INDEX entities_staff_id ON public.entities USING btree (municipality, ((payload ->> 'staff_id'::text))) WHERE (entity = ANY (ARRAY['staff'::text, 'staff_grants'::text, 'authenticators'::text, 'password_history'::text]));

-- table export_log
CREATE TABLE export_log (
  export_id bigint NOT NULL DEFAULT nextval('export_log_export_id_seq'::regclass),
  interface text NOT NULL,
  municipality text NOT NULL,
  source text NOT NULL,
  file_kind text NOT NULL,
  seq bigint NOT NULL,
  file_name text NOT NULL,
  qualification_records integer NOT NULL DEFAULT 0,
  ticket_records integer NOT NULL DEFAULT 0,
  withdrawn integer NOT NULL DEFAULT 0,
  file_sha256 text,
  data_sha256 text,
  result text NOT NULL,
  message text NOT NULL,
  started_at timestamp with time zone NOT NULL,
  finished_at timestamp with time zone NOT NULL,
  CONSTRAINT export_log_pkey PRIMARY KEY (export_id),
  CONSTRAINT export_log_check CHECK (((result <> 'written'::text) OR ((file_sha256 IS NOT NULL) AND (data_sha256 IS NOT NULL)))),
  CONSTRAINT export_log_data_sha256_check CHECK ((data_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT export_log_file_kind_check CHECK ((file_kind = ANY (ARRAY['FULL'::text, 'DIFF'::text]))),
  CONSTRAINT export_log_file_sha256_check CHECK ((file_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT export_log_interface_check CHECK ((interface = 'ONSHI'::text)),
  CONSTRAINT export_log_municipality_check CHECK ((municipality ~ '^[0-9]{6}$'::text)),
  CONSTRAINT export_log_qualification_records_check CHECK ((qualification_records >= 0)),
  CONSTRAINT export_log_result_check CHECK ((result = ANY (ARRAY['written'::text, 'error'::text]))),
  CONSTRAINT export_log_seq_check CHECK ((seq > 0)),
  CONSTRAINT export_log_source_check CHECK ((source = ANY (ARRAY['timer'::text, 'cli'::text]))),
  CONSTRAINT export_log_ticket_records_check CHECK ((ticket_records >= 0)),
  CONSTRAINT export_log_withdrawn_check CHECK ((withdrawn >= 0))
);

-- index export_log_written_seq on export_log
CREATE UNIQUE INDEX export_log_written_seq ON public.export_log USING btree (interface, municipality, seq) WHERE (result = 'written'::text);

-- table identity_approvals_used
CREATE TABLE identity_approvals_used (
  hash text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  terminal_id text NOT NULL,
  used_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT identity_approvals_used_pkey PRIMARY KEY (hash)
);

-- table import_log
CREATE TABLE import_log (
  import_id bigint NOT NULL DEFAULT nextval('import_log_import_id_seq'::regclass),
  file_name text NOT NULL,
  source text NOT NULL,
  interface text,
  municipality text,
  file_kind text,
  seq bigint,
  file_sha256 text NOT NULL,
  data_sha256 text,
  data_lines integer,
  inserted integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  removed integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  result text NOT NULL,
  message text,
  started_at timestamp with time zone NOT NULL,
  finished_at timestamp with time zone NOT NULL,
  CONSTRAINT import_log_pkey PRIMARY KEY (import_id),
  CONSTRAINT import_log_check CHECK (((result <> 'applied'::text) OR ((interface IS NOT NULL) AND (municipality IS NOT NULL) AND (seq IS NOT NULL)))),
  CONSTRAINT import_log_data_lines_check CHECK ((data_lines >= 0)),
  CONSTRAINT import_log_data_sha256_check CHECK ((data_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT import_log_file_kind_check CHECK ((file_kind = ANY (ARRAY['FULL'::text, 'DIFF'::text]))),
  CONSTRAINT import_log_file_sha256_check CHECK ((file_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT import_log_result_check CHECK ((result = ANY (ARRAY['applied'::text, 'noop'::text, 'error'::text]))),
  CONSTRAINT import_log_seq_check CHECK ((seq > 0)),
  CONSTRAINT import_log_source_check CHECK ((source = ANY (ARRAY['cli'::text, 'inbox'::text])))
);

-- index import_log_applied_seq on import_log
CREATE UNIQUE INDEX import_log_applied_seq ON public.import_log USING btree (interface, municipality, seq) WHERE (result = 'applied'::text);

-- table job_log
CREATE TABLE job_log (
  job_id bigint NOT NULL DEFAULT nextval('job_log_job_id_seq'::regclass),
  job text NOT NULL,
  source text NOT NULL,
  result text NOT NULL,
  files integer NOT NULL DEFAULT 0,
  ido_lines integer NOT NULL DEFAULT 0,
  removals integer NOT NULL DEFAULT 0,
  certificates integer NOT NULL DEFAULT 0,
  candidates integer NOT NULL DEFAULT 0,
  message text,
  started_at timestamp with time zone NOT NULL,
  finished_at timestamp with time zone NOT NULL,
  kodomo_ido_losses integer NOT NULL DEFAULT 0,
  kodomo_age_losses integer NOT NULL DEFAULT 0,
  candidates_closed integer NOT NULL DEFAULT 0,
  CONSTRAINT job_log_pkey PRIMARY KEY (job_id),
  CONSTRAINT job_log_job_check CHECK ((job = ANY (ARRAY['ido-work'::text, 'retention-purge'::text, 'onshi-export'::text]))),
  CONSTRAINT job_log_result_check CHECK ((result = ANY (ARRAY['done'::text, 'error'::text]))),
  CONSTRAINT job_log_source_check CHECK ((source = ANY (ARRAY['timer'::text, 'cli'::text])))
);

-- table juki_ido
CREATE TABLE juki_ido (
  import_id bigint NOT NULL,
  line_no integer NOT NULL,
  municipality text NOT NULL,
  atena_no text NOT NULL,
  ido_reason text NOT NULL,
  ido_date date NOT NULL,
  notified_on date,
  removed boolean NOT NULL,
  CONSTRAINT juki_ido_pkey PRIMARY KEY (import_id, line_no)
);

-- index juki_ido_person on juki_ido
CREATE INDEX juki_ido_person ON public.juki_ido USING btree (municipality, atena_no, ido_date);

-- table juki_ido_processed
CREATE TABLE juki_ido_processed (
  import_id bigint NOT NULL,
  job_id bigint NOT NULL,
  CONSTRAINT juki_ido_processed_pkey PRIMARY KEY (import_id),
  CONSTRAINT juki_ido_processed_job_id_fkey FOREIGN KEY (job_id) REFERENCES job_log(job_id)
);

-- table juki_residents
CREATE TABLE juki_residents (
  municipality text NOT NULL,
  atena_no text NOT NULL,
  entity_id text NOT NULL,
  relationship text NOT NULL,
  true_name text,
  became_resident_on date NOT NULL,
  ido_reason text NOT NULL,
  ido_date date NOT NULL,
  notified_on date,
  removed boolean NOT NULL,
  removed_on date,
  import_id bigint NOT NULL,
  CONSTRAINT juki_residents_pkey PRIMARY KEY (municipality, atena_no)
);

-- table kokuho_shikaku
CREATE TABLE kokuho_shikaku (
  municipality text NOT NULL,
  atena_no text NOT NULL,
  acquired_on date NOT NULL,
  household_no text NOT NULL,
  head_atena_no text NOT NULL,
  insurer_no text NOT NULL,
  symbol text NOT NULL,
  number text NOT NULL,
  branch text NOT NULL,
  acquire_reason text NOT NULL,
  acquire_notified_on date,
  lost_on date,
  lose_reason text,
  lose_notified_on date,
  income_class text,
  import_id bigint NOT NULL,
  CONSTRAINT kokuho_shikaku_pkey PRIMARY KEY (municipality, atena_no, acquired_on),
  CONSTRAINT kokuho_shikaku_check CHECK (((lost_on IS NULL) OR (lost_on >= acquired_on)))
);

-- index kokuho_shikaku_household on kokuho_shikaku
CREATE INDEX kokuho_shikaku_household ON public.kokuho_shikaku USING btree (municipality, household_no);

-- table mutations
CREATE TABLE mutations (
  terminal_id text NOT NULL,
  mutation_id bigint NOT NULL,
  client_uuid uuid,
  entity text,
  entity_id text,
  op text,
  payload jsonb NOT NULL,
  status text NOT NULL,
  reason text,
  applied_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT mutations_pkey PRIMARY KEY (terminal_id, mutation_id),
  CONSTRAINT mutations_client_uuid_key UNIQUE (client_uuid),
  CONSTRAINT mutations_terminal_id_fkey FOREIGN KEY (terminal_id) REFERENCES terminals(terminal_id),
  CONSTRAINT mutations_check CHECK (((status = 'rejected'::text) OR ((client_uuid IS NOT NULL) AND (entity IS NOT NULL) AND (entity_id IS NOT NULL) AND (op = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text]))))),
  CONSTRAINT mutations_mutation_id_check CHECK ((mutation_id > 0)),
  CONSTRAINT mutations_status_check CHECK ((status = ANY (ARRAY['applied'::text, 'rejected'::text])))
);

-- index mutations_rejected on mutations
CREATE INDEX mutations_rejected ON public.mutations USING btree (terminal_id, mutation_id) WHERE (status = 'rejected'::text);

-- table mynumber_access
CREATE TABLE mynumber_access (
  access_id bigint NOT NULL DEFAULT nextval('mynumber_access_access_id_seq'::regclass),
  at timestamp with time zone NOT NULL,
  municipality text NOT NULL,
  terminal_id text NOT NULL,
  staff_id text NOT NULL,
  action text NOT NULL,
  resident_id text,
  atena_no text,
  reason text NOT NULL,
  outcome text NOT NULL,
  why text,
  CONSTRAINT mynumber_access_pkey PRIMARY KEY (access_id),
  CONSTRAINT mynumber_access_action_check CHECK ((action = ANY (ARRAY['reveal'::text, 'search'::text]))),
  CONSTRAINT mynumber_access_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text])))
);

-- index mynumber_access_resident on mynumber_access
CREATE INDEX mynumber_access_resident ON public.mynumber_access USING btree (municipality, atena_no, at);

-- index mynumber_access_staff on mynumber_access
CREATE INDEX mynumber_access_staff ON public.mynumber_access USING btree (municipality, staff_id, at);

-- table mynumber_confirmations
CREATE TABLE mynumber_confirmations (
  confirmation_id bigint NOT NULL DEFAULT nextval('mynumber_confirmations_confirmation_id_seq'::regclass),
  municipality text NOT NULL,
  atena_no text NOT NULL,
  entity_id text NOT NULL,
  import_id bigint NOT NULL,
  held_number text NOT NULL,
  proposed_number text,
  created_at timestamp with time zone NOT NULL,
  resolved_at timestamp with time zone,
  resolved_by text,
  decision text,
  reason text,
  CONSTRAINT mynumber_confirmations_pkey PRIMARY KEY (confirmation_id),
  CONSTRAINT mynumber_confirmations_import_id_fkey FOREIGN KEY (import_id) REFERENCES import_log(import_id),
  CONSTRAINT mynumber_confirmations_decided CHECK ((((resolved_at IS NULL) = (decision IS NULL)) AND ((decision IS NULL) = (reason IS NULL)))),
  CONSTRAINT mynumber_confirmations_decision_check CHECK ((decision = ANY (ARRAY['apply'::text, 'dismiss'::text])))
);

-- index mynumber_confirmations_open on mynumber_confirmations
CREATE INDEX mynumber_confirmations_open ON public.mynumber_confirmations USING btree (municipality, created_at) WHERE (resolved_at IS NULL);

-- table number_counters
CREATE TABLE number_counters (
  cert_type text NOT NULL,
  next_serial bigint NOT NULL,
  CONSTRAINT number_counters_pkey PRIMARY KEY (cert_type),
  CONSTRAINT number_counters_next_serial_check CHECK ((next_serial > 0))
);

-- table number_leases
CREATE TABLE number_leases (
  lease_id uuid NOT NULL,
  terminal_id text NOT NULL,
  cert_type text NOT NULL,
  first_serial bigint NOT NULL,
  last_serial bigint NOT NULL,
  leased_at timestamp with time zone NOT NULL DEFAULT now(),
  expires_at timestamp with time zone NOT NULL,
  returned_from bigint,
  returned_at timestamp with time zone,
  CONSTRAINT number_leases_pkey PRIMARY KEY (lease_id),
  CONSTRAINT number_leases_check CHECK ((last_serial >= first_serial)),
  CONSTRAINT number_leases_check1 CHECK (((returned_from IS NULL) OR ((returned_from >= first_serial) AND (returned_from <= (last_serial + 1)))))
);

-- index number_leases_terminal on number_leases
CREATE INDEX number_leases_terminal ON public.number_leases USING btree (terminal_id, cert_type);

-- table onshi_sent
CREATE TABLE onshi_sent (
  municipality text NOT NULL,
  record_key text NOT NULL,
  line_sha256 text NOT NULL,
  source_entity text NOT NULL,
  source_id text NOT NULL,
  export_id bigint NOT NULL,
  withdrawn_export_id bigint,
  CONSTRAINT onshi_sent_pkey PRIMARY KEY (municipality, record_key),
  CONSTRAINT onshi_sent_export_id_fkey FOREIGN KEY (export_id) REFERENCES export_log(export_id),
  CONSTRAINT onshi_sent_withdrawn_export_id_fkey FOREIGN KEY (withdrawn_export_id) REFERENCES export_log(export_id),
  CONSTRAINT onshi_sent_line_sha256_check CHECK ((line_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT onshi_sent_source_entity_check CHECK ((source_entity = ANY (ARRAY['residents'::text, 'certificates'::text])))
);

-- index onshi_sent_source on onshi_sent
CREATE INDEX onshi_sent_source ON public.onshi_sent USING btree (source_entity, source_id);

-- table population
CREATE TABLE population (
  municipality text NOT NULL,
  resident_id text NOT NULL,
  jimu text NOT NULL,
  CONSTRAINT population_pkey PRIMARY KEY (municipality, resident_id, jimu)
);

-- table population_refresh
CREATE TABLE population_refresh (
  municipality text NOT NULL,
  refreshed_on date NOT NULL,
  rules text NOT NULL,
  members integer NOT NULL,
  refreshed_at timestamp with time zone NOT NULL,
  CONSTRAINT population_refresh_pkey PRIMARY KEY (municipality)
);

-- table retired_terminals
CREATE TABLE retired_terminals (
  terminal_id text NOT NULL,
  municipality text NOT NULL,
  last_mutation_id bigint NOT NULL,
  audit_seq bigint NOT NULL,
  retired_at timestamp with time zone NOT NULL,
  CONSTRAINT retired_terminals_pkey PRIMARY KEY (terminal_id),
  CONSTRAINT retired_terminals_audit_seq_check CHECK ((audit_seq >= 0)),
  CONSTRAINT retired_terminals_last_mutation_id_check CHECK ((last_mutation_id >= 0))
);

-- table schema_migrations
CREATE TABLE schema_migrations (
  version integer NOT NULL,
  name text NOT NULL,
  applied_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
);

-- table seiho_jukyu
CREATE TABLE seiho_jukyu (
  municipality text NOT NULL,
  case_no text NOT NULL,
  atena_no text NOT NULL,
  started_on date NOT NULL,
  household_no text NOT NULL,
  head_flag text NOT NULL,
  changed_on date,
  ended_on date,
  change_reason text NOT NULL,
  caseworker text NOT NULL,
  aid_kinds text NOT NULL,
  office_code text NOT NULL,
  resident_id text,
  import_id bigint NOT NULL,
  CONSTRAINT seiho_jukyu_pkey PRIMARY KEY (municipality, case_no, atena_no, started_on),
  CONSTRAINT seiho_jukyu_check CHECK (((ended_on IS NULL) OR (ended_on > started_on))),
  CONSTRAINT seiho_jukyu_check1 CHECK (((changed_on IS NULL) OR (changed_on >= started_on))),
  CONSTRAINT seiho_jukyu_head_flag_check CHECK ((head_flag = ANY (ARRAY['1'::text, '2'::text])))
);

-- index seiho_jukyu_held on seiho_jukyu
CREATE INDEX seiho_jukyu_held ON public.seiho_jukyu USING btree (municipality, atena_no) WHERE (resident_id IS NULL);

-- index seiho_jukyu_import on seiho_jukyu
CREATE INDEX seiho_jukyu_import ON public.seiho_jukyu USING btree (import_id);

-- index seiho_jukyu_resident on seiho_jukyu
CREATE INDEX seiho_jukyu_resident ON public.seiho_jukyu USING btree (municipality, resident_id) WHERE (resident_id IS NOT NULL);

-- table server_state
CREATE TABLE server_state (
  key text NOT NULL,
  value text NOT NULL,
  CONSTRAINT server_state_pkey PRIMARY KEY (key)
);

-- table shikaku_candidates
CREATE TABLE shikaku_candidates (
  candidate_id bigint NOT NULL DEFAULT nextval('shikaku_candidates_candidate_id_seq'::regclass),
  municipality text NOT NULL,
  atena_no text NOT NULL,
  jimu text NOT NULL,
  loss_reason text NOT NULL,
  ido_date date NOT NULL,
  notified_on date,
  import_id bigint NOT NULL,
  line_no integer NOT NULL,
  job_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'open'::text,
  created_at timestamp with time zone NOT NULL,
  done_job_id bigint,
  CONSTRAINT shikaku_candidates_pkey PRIMARY KEY (candidate_id),
  CONSTRAINT shikaku_candidates_municipality_atena_no_jimu_loss_reason_i_key UNIQUE (municipality, atena_no, jimu, loss_reason, ido_date),
  CONSTRAINT shikaku_candidates_done_job_id_fkey FOREIGN KEY (done_job_id) REFERENCES job_log(job_id),
  CONSTRAINT shikaku_candidates_job_id_fkey FOREIGN KEY (job_id) REFERENCES job_log(job_id),
  CONSTRAINT shikaku_candidates_done CHECK (((status = 'open'::text) = (done_job_id IS NULL))),
  CONSTRAINT shikaku_candidates_status_check CHECK ((status = ANY (ARRAY['open'::text, 'applied'::text, 'no_shikaku'::text])))
);

-- table staff_population
CREATE TABLE staff_population (
  municipality text NOT NULL,
  staff_id text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  jimu text NOT NULL,
  CONSTRAINT staff_population_pkey PRIMARY KEY (entity, entity_id, jimu)
);

-- index staff_population_staff on staff_population
CREATE INDEX staff_population_staff ON public.staff_population USING btree (municipality, staff_id);

-- table staff_sessions
CREATE TABLE staff_sessions (
  staff_id text NOT NULL,
  terminal_id text NOT NULL,
  claimed_at timestamp with time zone NOT NULL DEFAULT now(),
  municipality text NOT NULL DEFAULT ''::text,
  CONSTRAINT staff_sessions_pkey PRIMARY KEY (municipality, staff_id)
);

-- table terminals
CREATE TABLE terminals (
  terminal_id text NOT NULL,
  last_mutation_id bigint NOT NULL DEFAULT 0,
  first_seen_at timestamp with time zone NOT NULL DEFAULT now(),
  last_push_at timestamp with time zone,
  CONSTRAINT terminals_pkey PRIMARY KEY (terminal_id),
  CONSTRAINT terminals_last_mutation_id_check CHECK ((last_mutation_id >= 0))
);

-- sequence conflicts_conflict_id_seq
CREATE SEQUENCE conflicts_conflict_id_seq AS bigint START 1 INCREMENT 1 OWNED BY conflicts.conflict_id;

-- sequence entities_server_seq_seq
CREATE SEQUENCE entities_server_seq_seq AS bigint START 1 INCREMENT 1 OWNED BY entities.server_seq;

-- sequence export_log_export_id_seq
CREATE SEQUENCE export_log_export_id_seq AS bigint START 1 INCREMENT 1 OWNED BY export_log.export_id;

-- sequence import_log_import_id_seq
CREATE SEQUENCE import_log_import_id_seq AS bigint START 1 INCREMENT 1 OWNED BY import_log.import_id;

-- sequence job_log_job_id_seq
CREATE SEQUENCE job_log_job_id_seq AS bigint START 1 INCREMENT 1 OWNED BY job_log.job_id;

-- sequence mynumber_access_access_id_seq
CREATE SEQUENCE mynumber_access_access_id_seq AS bigint START 1 INCREMENT 1 OWNED BY mynumber_access.access_id;

-- sequence mynumber_confirmations_confirmation_id_seq
CREATE SEQUENCE mynumber_confirmations_confirmation_id_seq AS bigint START 1 INCREMENT 1 OWNED BY mynumber_confirmations.confirmation_id;

-- sequence shikaku_candidates_candidate_id_seq
CREATE SEQUENCE shikaku_candidates_candidate_id_seq AS bigint START 1 INCREMENT 1 OWNED BY shikaku_candidates.candidate_id;
