/**
 * Test helper process: opens the same encrypted database as the test and issues one certificate of `type`
 * for each resident ID given, as fast as it can, printing the numbers it got as JSON. Two of these run at
 * once to prove that numbering never hands out a number twice across connections.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createCore } from '../../app-core';
import { FileKeyProvider } from '../../db/file-key-provider';
import { keyFilePath } from '../../app-core';
import { loadRuleProfile, profilePath } from '../../profile/load-profile';
import type { Actor } from '../../actor';
import type { CertType } from '../../../../shared/domain/certificate-types';

const [dataDir, resourcesDir, type, idsFile, readyFile, otherReadyFile] = process.argv.slice(2) as [string, string, CertType, string, string, string];
const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
const core = createCore({ dataDir, keyProvider: new FileKeyProvider(keyFilePath(dataDir)), clock: { now: () => new Date('2026-11-22T01:00:00Z') }, profile: loadRuleProfile(profilePath(resourcesDir, 'sample-osaka')) });
const actor: Actor = { staffId: 'D1001', name: 'worker', role: 'clerk', rights: ['resident.view', `${type.split('_')[0]}:certificate.issue`] as Actor['rights'], demo: true, loggedInAt: '', locked: false };
const numbers: string[] = [];
// Both workers start issuing at the same moment: each says it is ready, then waits for the other (however long
// start-up took on a loaded machine).
writeFileSync(readyFile, 'ready');
while (!existsSync(otherReadyFile)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
const startedAt = Date.now();
for (const id of ids) {
  const person = core.residents.findRow(id)!;
  const c = core.lifecycle.issue(actor, { type, residentId: id, issueKind: 'new', reissueReason: null, details: type === 'kokuho_gendogaku' ? { kubun: 'ウ' } : {}, nameChoice: 'real', printSex: true, residentVersion: person.version });
  numbers.push(c.certificateNo);
}
core.close();
process.stdout.write(JSON.stringify({ numbers, startedAt, endedAt: Date.now() }));
