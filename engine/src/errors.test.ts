import { describe, expect, it } from 'vitest';
import { SigmatiqError, isSigmatiqError } from './errors.js';

describe('SigmatiqError', () => {
  it('carries a stable code, details and a one-line form', () => {
    const err = new SigmatiqError('DATA_UNSORTED', 'row 3 is earlier than row 2', { row: 3 });
    expect(err.code).toBe('DATA_UNSORTED');
    expect(err.details).toEqual({ row: 3 });
    expect(err.toLine()).toBe('DATA_UNSORTED: row 3 is earlier than row 2');
    expect(isSigmatiqError(err)).toBe(true);
    expect(isSigmatiqError(new Error('x'))).toBe(false);
  });
});
