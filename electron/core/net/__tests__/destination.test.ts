import { describe, expect, it } from 'vitest';
import { checkDestination, describeDestination, parseBaseUrl } from '../destination';

const refusedAs = (base: string, target: string): string | null => {
  const r = checkDestination(parseBaseUrl(base), target);
  return r.ok ? null : r.destination;
};
const allowedAs = (base: string, target: string): string | null => {
  const r = checkDestination(parseBaseUrl(base), target);
  return r.ok ? r.url.href : null;
};

describe('destination guard (pure)', () => {
  it('compares origins after WHATWG normalisation: case, default port, relative paths', () => {
    const base = 'https://Central.Example/api/';
    expect(allowedAs(base, 'https://central.example:443/x')).toBe('https://central.example/x');
    expect(allowedAs(base, 'HTTPS://CENTRAL.EXAMPLE/x?q=1')).toBe('https://central.example/x?q=1');
    expect(allowedAs(base, 'residents/1')).toBe('https://central.example/api/residents/1');
    expect(allowedAs(base, '/api/../../etc/passwd')).toBe('https://central.example/etc/passwd');
    expect(allowedAs(base, 'evil.example/x')).toBe('https://central.example/api/evil.example/x');
    // Same special scheme without slashes is a relative reference (WHATWG), and the resolved URL is what is sent.
    expect(allowedAs(base, 'https:evil.example/x')).toBe('https://central.example/api/evil.example/x');
  });

  it('refuses other origins, credentials, and tricks that change the host', () => {
    const base = 'https://central.example';
    expect(refusedAs(base, 'https://central.example:8443/')).toBe('https://central.example:8443');
    expect(refusedAs(base, 'http://central.example/')).toBe('http://central.example');
    expect(refusedAs(base, 'https://central.example.evil.example/')).toBe('https://central.example.evil.example');
    expect(refusedAs(base, 'https://central.example@evil.example/')).toBe('https://evil.example');
    expect(refusedAs(base, 'https://central.example%40evil.example/')).not.toBeNull();
    expect(refusedAs(base, 'https:\\\\evil.example\\x')).toBe('https://evil.example');
    expect(refusedAs(base, '//evil.example/x')).toBe('https://evil.example');
    expect(refusedAs(base, 'https://user:pass@central.example/')).toBe('https://central.example');
    expect(refusedAs(base, 'https://central.example./')).toBe('https://central.example.');
    expect(refusedAs(base, 'wss://central.example/')).toBe('wss://central.example');
    expect(refusedAs(base, 'data:text/plain,hi')).toBe('data:');
    expect(refusedAs(base, 'https://[::1')).toBe('(解析できないURL)');
  });

  it('treats IP literal spellings as what they normalise to, and never as the host name', () => {
    expect(allowedAs('https://127.0.0.1:8443', 'https://0x7f.0.0.1:8443/')).toBe('https://127.0.0.1:8443/');
    expect(allowedAs('https://127.0.0.1:8443', 'https://2130706433:8443/')).toBe('https://127.0.0.1:8443/');
    expect(refusedAs('https://localhost:8443', 'https://127.0.0.1:8443/')).toBe('https://127.0.0.1:8443');
    expect(refusedAs('https://localhost:8443', 'https://[::ffff:127.0.0.1]:8443/')).toBe('https://[::ffff:7f00:1]:8443');
  });

  it('records the origin only', () => {
    expect(describeDestination(new URL('https://u:p@evil.example:444/a/b?token=1#f'))).toBe('https://evil.example:444');
    expect(describeDestination(new URL('file:///etc/passwd'))).toBe('file:');
  });
});
