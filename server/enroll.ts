/**
 * Enrollment CLI for the municipality's private CA.
 *
 *   tsx server/enroll.ts [--dir server-data/pki] --terminal T001 --municipality 271004 --jimu kodomo,kokuho [--admin [--bootstrap A0001,S7001]] [--force]
 *       (--jimu: comma-separated from kodomo こども医療, kokuho 国民健康保険, yobou 予防接種, seikatsu 生活保護)
 *       issue a terminal client certificate; the municipality and 事務 it serves are written into it and decide
 *       what it may pull and push (--force re-issues an existing one and revokes the old); --admin enrolls it for
 *       identity administration (staff, grants, authenticators); --bootstrap names the provisioned accounts whose
 *       first grants and self-enrolled authenticators it may push without a 所属長's approval
 *   tsx server/enroll.ts [--dir server-data/pki] --server-host sync.example.lg.jp [--server-host 10.0.0.5]
 *   tsx server/enroll.ts [--dir server-data/pki] --revoke T001               add T001's certificate to crl.pem
 *   tsx server/enroll.ts [--dir server-data/pki] --refresh-crl               re-sign crl.pem (new nextUpdate)
 *
 * The CA is created on first use. A running server picks up a new crl.pem on SIGHUP.
 */
import { parseArgs } from 'node:util';
import { JIMU } from '../shared/domain/rights';
import type { TerminalScope } from '../shared/sync/scope';
import { ensureCa, issueServer, issueTerminal, pkiPaths, refreshCrl, revoke } from './pki';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'server-data/pki' },
      terminal: { type: 'string', multiple: true },
      'server-host': { type: 'string', multiple: true },
      revoke: { type: 'string', multiple: true },
      'revoke-serial': { type: 'string', multiple: true },
      'refresh-crl': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      municipality: { type: 'string' },
      jimu: { type: 'string' },
      admin: { type: 'boolean', default: false },
      bootstrap: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const dir = values.dir;
  const nothing = !values.terminal && !values['server-host'] && !values.revoke && !values['revoke-serial'] && !values['refresh-crl'];
  if (values.help || nothing) {
    console.log(`usage: enroll [--dir DIR] [--terminal ID --municipality NNNNNN --jimu ${JIMU.join(',')} [--admin [--bootstrap ID,…]] [--force]]... [--server-host HOST]... [--revoke ID]... [--revoke-serial HEX]... [--refresh-crl]`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (values.terminal && (!values.municipality || !values.jimu)) {
    console.error(`--terminal needs --municipality (6-digit 団体コード) and --jimu (comma-separated: ${JIMU.join(',')})`);
    process.exitCode = 2;
    return;
  }
  const p = pkiPaths(dir);
  const { created } = await ensureCa(dir);
  if (created) console.log(`created CA: ${p.caCert} (key ${p.caKey}, mode 0600)`);
  for (const id of values.revoke ?? []) {
    const r = await revoke(dir, { terminalId: id });
    console.log(r.alreadyRevoked ? `${id}: serial ${r.serial} was already revoked` : `revoked ${id} (serial ${r.serial}) → ${p.crl}`);
  }
  for (const serial of values['revoke-serial'] ?? []) {
    const r = await revoke(dir, { serial });
    console.log(r.alreadyRevoked ? `serial ${r.serial} was already revoked` : `revoked serial ${r.serial} → ${p.crl}`);
  }
  if (values['refresh-crl']) {
    await refreshCrl(dir);
    console.log(`re-signed ${p.crl}`);
  }
  if (values['server-host']) {
    const r = await issueServer(dir, values['server-host']);
    console.log(`issued server certificate for ${values['server-host'].join(', ')} (serial ${r.serial}): ${p.serverCert}`);
  }
  for (const id of values.terminal ?? []) {
    const bootstrap = (values.bootstrap ?? '').split(',').map((b) => b.trim()).filter(Boolean);
    if (bootstrap.length && !values.admin) throw new Error('--bootstrap needs --admin (only an admin terminal pushes the provisioned accounts)');
    const scope = {
      municipality: values.municipality ?? '',
      jimu: (values.jimu ?? '').split(',').map((j) => j.trim()).filter(Boolean),
      ...(values.admin ? { admin: true } : {}),
      ...(bootstrap.length ? { bootstrap } : {}),
    } as TerminalScope;
    const r = await issueTerminal(dir, id, { force: values.force, scope });
    console.log(`issued ${id} (serial ${r.serial}): ${r.cert}, key ${r.key}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
