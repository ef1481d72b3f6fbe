import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from './i18n';
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

  describe('hub codes', () => {
    afterEach(() => setLocale('en'));

    it('renders a sign-in code in Korean, with its parameters formatted by Intl', () => {
      setLocale('ko');
      const wrong = new ApiError(401, { detail: 'Wrong email or password', code: 'auth.wrong_credentials', params: {} });
      expect(describeError(wrong).message).toBe('이메일 또는 비밀번호가 틀렸습니다.');
      const throttled = new ApiError(429, {
        detail: 'Too many failed sign-ins: try again in 1200 s',
        code: 'auth.throttled',
        params: { seconds: 1200 },
      });
      expect(describeError(throttled).message).toBe('로그인 실패가 너무 많습니다. 1,200초 뒤에 다시 시도하세요.');
    });

    it('renders field codes under their fields in Korean', () => {
      setLocale('ko');
      const e = new ApiError(400, {
        detail: 'password: must be at least 12 characters',
        code: 'invalid_fields',
        errors: [{ field: 'password', message: 'must be at least 12 characters', code: 'too_short', params: { min: 12 } }],
      });
      const d = describeError(e, ['password']);
      expect(d.fields).toEqual({ password: '12자 이상이어야 합니다.' });
      expect(d.message).toBe('올바르지 않은 항목이 있습니다.');
    });

    it('falls back to the English text the hub sent for a code it does not know', () => {
      setLocale('ko');
      const e = new ApiError(409, { detail: 'A brand-new reason', code: 'something.new', params: {} });
      expect(describeError(e).message).toBe('A brand-new reason');
    });

    it('keeps the hub English for generic codes in English, and renders specific ones from the catalogue', () => {
      const generic = new ApiError(404, { detail: 'Server not found', code: 'not_found', params: { what: 'Server' } });
      expect(describeError(generic).message).toBe('Server not found');
      const specific = new ApiError(401, { detail: 'Wrong email or password', code: 'auth.wrong_credentials' });
      expect(describeError(specific).message).toBe('Wrong email or password.');
    });
  });
});
