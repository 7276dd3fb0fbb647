/**
 * A packaged app refuses to start with debugging switches, or switches that weaken TLS, the network path or
 * secret storage, or with environment that would let code run inside it (the fuses switch most of these off as
 * well; this is the second layer, and it says why).
 *
 * Chromium accepts a switch as `--name`, `-name` and (on Windows) `/name`, and matches names without regard to
 * case on Windows: every argument is normalised the same way before it is compared.
 */
const FORBIDDEN_SWITCHES: readonly RegExp[] = [
  /^inspect/, // --inspect, --inspect-brk, --inspect-port, --inspect-brk-node, --inspect-publish-uid
  /^remote-debugging/, // -port, -pipe, -address
  /^remote-allow-origins$/,
  /^js-flags$/,
  /^ignore-certificate-errors/, // also -spki-list
  /^allow-insecure-localhost$/,
  /^disable-web-security$/,
  /^proxy/, // --proxy-server, --proxy-pac-url, --proxy-bypass-list, …
  /^no-proxy-server$/,
  /^host-rules$/,
  /^host-resolver-rules$/,
  /^password-store$/,
];
const FORBIDDEN_ENV = ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'ELECTRON_ENABLE_LOGGING', 'NODE_DEBUG'];

/** The switch name an argument sets (`--Remote-Debugging-Port=1` → `remote-debugging-port`), or null. */
export function switchName(arg: string): string | null {
  const m = /^(?:--?|\/)([^=\s]+)/.exec(arg.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export function launchRefusal(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, packaged: boolean): string | null {
  if (!packaged) return null;
  for (const arg of argv) {
    const name = switchName(arg);
    if (name && FORBIDDEN_SWITCHES.some((re) => re.test(name))) return `デバッグ用または安全性を下げる起動オプション（--${name}）が指定されているため起動しません。`;
  }
  const envName = FORBIDDEN_ENV.find((k) => env[k] !== undefined && env[k] !== '');
  if (envName) return `環境変数 ${envName} が設定されているため起動しません。`;
  return null;
}
