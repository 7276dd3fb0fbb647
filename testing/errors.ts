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
