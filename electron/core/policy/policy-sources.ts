import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { parsePolicy, PolicyError, type Policy } from './policy';

export const LINUX_POLICY_FILE = '/etc/madoguchi/policy.json';
export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Madoguchi';

export interface LoadedPolicy {
  policy: Policy;
  /** Where it came from, recorded in the posture check. */
  source: string;
}

/**
 * Linux: a JSON file that only root can change. The file and its directory must be owned by root and not
 * writable by group or others; otherwise a user could have written it and it is refused.
 */
export function loadPolicyFile(path: string, opts: { requireRootOwned: boolean } = { requireRootOwned: true }): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PolicyError(`ポリシーファイル ${path} がありません。IT担当者が端末ポリシーを配置するまで起動できません。`);
  }
  if (opts.requireRootOwned) {
    for (const p of [path, dirname(path)]) {
      const st = statSync(p);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
        throw new PolicyError(`ポリシー ${p} は root 所有で、他のユーザーが書き込めない必要があります（現在 uid=${st.uid}, mode=${(st.mode & 0o777).toString(8)}）。`);
      }
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PolicyError(`ポリシーファイル ${path} は JSON として読めません。`);
  }
  return { policy: parsePolicy(raw, path), source: `file:${path}` };
}

/** Registry value name → policy field. DWORD values are numbers; MULTI_SZ values are lists. */
const REGISTRY_FIELDS: Record<string, (p: Record<string, unknown>, v: string | number | string[]) => void> = {
  TerminalId: (p, v) => (p.terminalId = v),
  ProfileId: (p, v) => (p.profileId = v),
  CentralServerUrl: (p, v) => (server(p).url = v),
  CaCertFile: (p, v) => (server(p).caCertFile = v),
  ClientCertFile: (p, v) => (server(p).clientCertFile = v),
  ClientKeyFile: (p, v) => (server(p).clientKeyFile = v),
  IdleLockMinutes: (p, v) => (p.idleLockMinutes = v),
  IdleLogoutMinutes: (p, v) => (p.idleLogoutMinutes = v),
  AllowedPrinters: (p, v) => (p.allowedPrinters = v),
  ExportDestination: (p, v) => (p.exportDestination = v),
};

function server(p: Record<string, unknown>): Record<string, unknown> {
  return (p.centralServer ??= {}) as Record<string, unknown>;
}

/**
 * Parse the output of `reg query HKLM\SOFTWARE\Policies\Madoguchi`. Lines look like
 * `    CentralServerUrl    REG_SZ    https://…`. Unknown values are refused (a typo must not pass silently).
 */
export function parseRegQuery(output: string): Record<string, unknown> {
  const policy: Record<string, unknown> = {};
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s{2,}(\S+)\s+(REG_SZ|REG_EXPAND_SZ|REG_DWORD|REG_MULTI_SZ)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, name, type, rawValue] = m as unknown as [string, string, string, string];
    const set = REGISTRY_FIELDS[name];
    if (!set) throw new PolicyError(`レジストリのポリシーに未知の値 ${name} があります。`);
    const value = type === 'REG_DWORD' ? Number.parseInt(rawValue, 16) : type === 'REG_MULTI_SZ' ? rawValue.split('\\0').filter(Boolean) : rawValue.trim();
    set(policy, value);
  }
  return policy;
}

/** Windows: HKLM\SOFTWARE\Policies\Madoguchi, writable only by administrators (GPO / Intune). */
export async function loadPolicyRegistry(run: (args: string[]) => Promise<string> = regQuery): Promise<LoadedPolicy> {
  let out: string;
  try {
    out = await run(['query', WINDOWS_POLICY_KEY]);
  } catch {
    throw new PolicyError(`レジストリ ${WINDOWS_POLICY_KEY} にポリシーがありません。IT担当者がグループポリシーで配布するまで起動できません。`);
  }
  return { policy: parsePolicy(parseRegQuery(out), WINDOWS_POLICY_KEY), source: `registry:${WINDOWS_POLICY_KEY}` };
}

async function regQuery(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('reg.exe', args, { windowsHide: true });
  return stdout;
}

export async function loadMachinePolicy(platform: NodeJS.Platform = process.platform): Promise<LoadedPolicy> {
  if (platform === 'win32') return loadPolicyRegistry();
  return loadPolicyFile(LINUX_POLICY_FILE);
}
