/**
 * Verify an audit export package (issue 8 §4): no Electron, no database.
 *
 *   tsx scripts/verify-audit.ts DIR [--trusted-key terminal-public-key.pem]
 *
 * Prints every problem found (Japanese / English) and the verdict. Exit code 0 when the package verifies,
 * 1 otherwise (including usage errors). The package layout is documented in electron/core/audit/verify-export.ts.
 */
import { readFileSync } from 'node:fs';
import { verifyExportDir } from '../electron/core/audit/verify-export';

const USAGE = '使い方 / usage: madoguchi-verify-audit DIR [--trusted-key PUBLIC_KEY.pem]';

async function main(argv: string[]): Promise<number> {
  let dir: string | undefined;
  let trustedPublicKeyPem: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--trusted-key') {
      const file = argv[++i];
      if (!file) {
        console.error(USAGE);
        return 1;
      }
      try {
        trustedPublicKeyPem = readFileSync(file, 'utf8');
      } catch {
        console.error(`信頼する公開鍵 ${file} を読み取れません / cannot read the trusted public key ${file}`);
        return 1;
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 1;
    } else if (dir === undefined && !arg.startsWith('--')) {
      dir = arg;
    } else {
      console.error(USAGE);
      return 1;
    }
  }
  if (dir === undefined) {
    console.error(USAGE);
    return 1;
  }
  const result = await verifyExportDir(dir, trustedPublicKeyPem === undefined ? {} : { trustedPublicKeyPem });
  for (const m of result.messages) console.log(m);
  return result.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
