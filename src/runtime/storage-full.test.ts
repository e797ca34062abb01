import { describe, expect, it } from 'vitest';
import { isQuotaError } from './storage-full';

describe('isQuotaError', () => {
  it('knows a full disk from other failures', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(Object.assign(new Error('Transaction aborted'), { inner: new DOMException('x', 'QuotaExceededError') }))).toBe(true);
    expect(isQuotaError(new Error('The quota has been exceeded.'))).toBe(true);
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaError(new Error('database closed'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
});
