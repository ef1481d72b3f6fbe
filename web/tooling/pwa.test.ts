import { describe, expect, it } from 'vitest';
import { manifest, serviceWorker } from './pwa';

describe('web manifest', () => {
  it('describes an installable standalone app with PNG and maskable icons', () => {
    const m = JSON.parse(manifest());
    expect(m.display).toBe('standalone');
    expect(m.start_url).toBe('./');
    expect(m.name).toBe('FLick');
    const sizes = m.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}/${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192/any', '512x512/any', '512x512/maskable']));
  });
});

describe('service worker', () => {
  it('precaches the shell, versions the cache by its content, and leaves the API alone', () => {
    const a = serviceWorker(['./', 'assets/index-abc.js']);
    const b = serviceWorker(['./', 'assets/index-def.js']);
    expect(a).toContain('"assets/index-abc.js"');
    expect(a.match(/flick-shell-[0-9a-f]+/)![0]).not.toBe(b.match(/flick-shell-[0-9a-f]+/)![0]);
    expect(a).toContain("path.startsWith('api/')");
    expect(a).toContain("req.mode === 'navigate'");
    expect(() => new Function(a)).not.toThrow();
  });
});
