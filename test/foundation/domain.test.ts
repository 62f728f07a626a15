import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, UNCLOSED_CASE_STATUSES } from '../../shared/domain.js';

describe('shared domain vocabulary', () => {
  it('the unclosed statuses are every case status but 办结, in workflow order', () => {
    expect(UNCLOSED_CASE_STATUSES).toEqual(CASE_STATUSES.filter((s) => s !== 'closed'));
  });
});
