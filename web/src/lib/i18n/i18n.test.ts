import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

  it('has every key the screens use, in both languages', () => {
    const root = join(__dirname, '..', '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(svelte|ts)$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(root);
    const used = new Set<string>();
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/(?:label|key):\s*'([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) {
      expect(en, key).toHaveProperty([key]);
      expect(ko, key).toHaveProperty([key]);
    }
  });

  it('translates into Korean rather than copying the English', () => {
    // Names and units that read the same in both languages.
    const same = new Set(['app.name', 'proc.pid', 'proc.cpu', 'metric.cpu', 'server.cpuModel', 'manage.mode.ssh', 'storage.layout.sqlite', 'storage.layout.timescaledb', 'inv.celsius', 'inv.rpm', 'inv.watts', 'inv.gpu', 'inv.gpus', 'chart.gpuKey']);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      if (same.has(key)) continue;
      expect(ko[key], key).toMatch(/[\uac00-\ud7a3]/);
    }
  });
});
