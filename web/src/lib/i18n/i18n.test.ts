import { describe, expect, it } from 'vitest';
import { en } from './en';
import { t } from './index';
import { ko } from './ko';

describe('i18n', () => {
  it('has the same keys in Korean as in English, none left empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(ko)) expect(value, key).not.toBe('');
  });

  it('keeps the same placeholders in each translation', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(names(ko[key]), key).toEqual(names(en[key]));
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(t('proc.at', { time: '03:12:07' })).toBe('Top processes at 03:12:07');
    expect(t('card.open')).toBe('Open {name}');
    expect(t('auth.setup.submit')).toBe('Create account');
    expect(t('auth.login.submit')).toBe('Sign in');
  });
});
