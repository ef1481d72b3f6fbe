import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client';
import { describeError } from './errors';

describe('describeError', () => {
  it('puts field errors under the form fields and the detail on top', () => {
    const e = new ApiError(400, {
      title: 'Bad Request',
      detail: 'Some fields are invalid.',
      errors: [
        { field: 'password', message: 'must be at least 8 characters' },
        { field: 'password', message: 'must not be the email' },
        { field: 'tenant', message: 'is unknown' },
      ],
    });
    const d = describeError(e, ['email', 'password']);
    expect(d.fields).toEqual({ password: 'must be at least 8 characters; must not be the email' });
    expect(d.message).toBe('Some fields are invalid. tenant: is unknown');
  });

  it('explains an unreachable hub and unknown failures', () => {
    expect(describeError(new ApiError(0, { title: 'Network error' })).message).toMatch(/reach the hub/);
    expect(describeError(new Error('x')).message).toBe('Something went wrong.');
  });
});
