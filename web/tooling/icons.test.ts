import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawIcon, encodePng } from './icons';

const spec = { size: 48, background: '#005bc0', foreground: '#ffffff' };

describe('app icons', () => {
  it('writes a valid RGBA PNG of the asked size', () => {
    const png = encodePng(48, drawIcon({ ...spec, maskable: false }));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(48);
    expect(png.readUInt32BE(20)).toBe(48);
    const idatLen = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(48 * (48 * 4 + 1));
  });

  it('fills the whole square when maskable, rounds the corners otherwise', () => {
    const masked = drawIcon({ ...spec, maskable: true });
    const rounded = drawIcon({ ...spec, maskable: false });
    expect(masked[3]).toBe(255); // top-left pixel opaque
    expect(rounded[3]).toBe(0); // transparent corner
    const centre = (24 * 48 + 24) * 4;
    expect(masked[centre + 3]).toBe(255);
  });
});
