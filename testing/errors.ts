import { expect } from 'vitest';
import { DomainError } from '../electron/core/errors';

/** The DomainError `fn` throws: the test fails when it throws something else, or nothing (`expected`). */
export function domainErrorOf(fn: () => unknown, expected = 'a DomainError'): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error(`expected ${expected}`);
}

/** The DomainError the promise `fn` returns rejects with (like domainErrorOf, for async calls). */
export async function domainErrorOfAsync(fn: () => Promise<unknown>, expected = 'a DomainError'): Promise<DomainError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error(`expected ${expected}`);
}

/**
 * The DomainError `p` (a promise, or a value for a call that threw synchronously inside Promise.resolve().then)
 * rejects with, checked for its code and, when given, its message.
 */
export async function rejectsWith(p: unknown, code: string, message?: RegExp): Promise<DomainError> {
  const e = await domainErrorOfAsync(async () => p, 'a refusal');
  expect(e.code).toBe(code);
  if (message) expect(e.message).toMatch(message);
  return e;
}
