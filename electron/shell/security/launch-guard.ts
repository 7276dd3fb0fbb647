/**
 * A packaged app refuses to start with debugging switches or environment that would let code run inside
 * it (the fuses switch most of these off as well; this is the second layer, and it says why).
 */
const FORBIDDEN_SWITCHES = [/^--inspect(-brk|-port|-publish-uid)?(=|$)/, /^--remote-debugging-(port|pipe|address)(=|$)/, /^--js-flags(=|$)/, /^--remote-allow-origins(=|$)/];
const FORBIDDEN_ENV = ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'ELECTRON_ENABLE_LOGGING', 'NODE_DEBUG'];

export function launchRefusal(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, packaged: boolean): string | null {
  if (!packaged) return null;
  const flag = argv.find((a) => FORBIDDEN_SWITCHES.some((re) => re.test(a)));
  if (flag) return `デバッグ用の起動オプション（${flag.split('=')[0]}）が指定されているため起動しません。`;
  const envName = FORBIDDEN_ENV.find((k) => env[k] !== undefined && env[k] !== '');
  if (envName) return `環境変数 ${envName} が設定されているため起動しません。`;
  return null;
}
