// `npm start`: run the built app in Electron, or say in one line why it cannot run here.
// The runtime is looked up without calling require('electron'), which would try to download it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(pkgDir, 'path.txt');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
const electronPath = exe ? join(override ?? join(pkgDir, 'dist'), exe) : null;

if (!electronPath || !existsSync(electronPath)) {
  console.error('Electron のランタイムがありません（ELECTRON_SKIP_BINARY_DOWNLOAD=1 でインストールされた環境です）。ここでは npm run demo でブラウザ版を起動できます。');
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
