import { describe, it, expect } from 'vitest';
import {
  isValidPublicPayerNumber, isValidRecipientNumber, publicPayerCheckDigit, recipientCheckDigit,
} from '../houbetsu';

describe('publicPayerCheckDigit', () => {
  it('hand-computed example 8813101', () => {
    // digits 8 8 1 3 1 0 1; from the right × 2,1,2,1,2,1,2:
    // 1×2=2, 0×1=0, 1×2=2, 3×1=3, 1×2=2, 8×1=8, 8×2=16→1+6=7; Σ = 24 → (10 − 4) mod 10 = 6
    expect(publicPayerCheckDigit('8813101')).toBe(6);
    expect(isValidPublicPayerNumber('88131016')).toBe(true);
  });
  it('hand-computed example 1213101', () => {
    // 1×2=2, 0×1=0, 1×2=2, 3×1=3, 1×2=2, 2×1=2, 1×2=2; Σ = 13 → 7
    expect(publicPayerCheckDigit('1213101')).toBe(7);
    expect(isValidPublicPayerNumber('12131017')).toBe(true);
  });
  it('two-digit products are digit-summed; Σ ≡ 0 (mod 10) gives 0', () => {
    // 0000055: 5×2=10→1+0=1, 5×1=5; Σ = 6 → 4
    expect(publicPayerCheckDigit('0000055')).toBe(4);
    // 0000019: 9×2=18→9, 1×1=1; Σ = 10 → 0
    expect(publicPayerCheckDigit('0000019')).toBe(0);
  });
  it('rejects malformed input', () => {
    expect(() => publicPayerCheckDigit('123456')).toThrow(RangeError);
    expect(() => publicPayerCheckDigit('12345a7')).toThrow(RangeError);
  });
});

describe('isValidPublicPayerNumber', () => {
  it('rejects a one-digit change, wrong length and non-digits', () => {
    expect(isValidPublicPayerNumber('88131015')).toBe(false);
    expect(isValidPublicPayerNumber('88231016')).toBe(false);
    expect(isValidPublicPayerNumber('8813101')).toBe(false);
    expect(isValidPublicPayerNumber('881310160')).toBe(false);
    expect(isValidPublicPayerNumber('8813101a')).toBe(false);
    expect(isValidPublicPayerNumber('')).toBe(false);
  });
});

describe('recipient number', () => {
  it('hand-computed example 123456', () => {
    // from the right: 6×2=12→1+2=3, 5×1=5, 4×2=8, 3×1=3, 2×2=4, 1×1=1; Σ = 24 → 6
    expect(recipientCheckDigit('123456')).toBe(6);
    expect(isValidRecipientNumber('1234566')).toBe(true);
  });
  it('rejects a one-digit change and malformed input', () => {
    expect(isValidRecipientNumber('1234565')).toBe(false);
    expect(isValidRecipientNumber('1234576')).toBe(false);
    expect(isValidRecipientNumber('123456')).toBe(false);
    expect(isValidRecipientNumber('12345666')).toBe(false);
    expect(() => recipientCheckDigit('12345')).toThrow(RangeError);
  });
});
