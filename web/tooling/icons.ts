// App icons rasterised at build time (no image tools needed): the FLick pulse line on the primary colour.
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];

const rgb = (hex: string): Rgb => {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

/** The pulse from favicon.svg, in a 24×24 box. */
const PULSE: [number, number][] = [
  [3, 13],
  [7, 13],
  [10, 5],
  [14, 19],
  [17, 13],
  [21, 13],
];

function segmentDistance(px: number, py: number, a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

export interface IconSpec {
  size: number;
  /** Maskable icons fill the square and keep the drawing inside the central 80 % safe zone. */
  maskable: boolean;
  background: string;
  foreground: string;
}

/** RGBA pixels of the icon, 4×4 supersampled. */
export function drawIcon({ size, maskable, background, foreground }: IconSpec): Uint8Array {
  const bg = rgb(background);
  const fg = rgb(foreground);
  const px = new Uint8Array(size * size * 4);
  const radius = maskable ? 0 : size * 0.22;
  // Drawing box: the 24-unit pulse scaled into 60 % (maskable) or 76 % (any) of the icon.
  const box = size * (maskable ? 0.6 : 0.76);
  const origin = (size - box) / 2;
  const unit = box / 24;
  const half = (2.4 * unit) / 2;
  const pts = PULSE.map(([x, y]) => [origin + x * unit, origin + y * unit] as [number, number]);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inBg = 0;
      let inFg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const fx = x + (sx + 0.5) / S;
          const fy = y + (sy + 0.5) / S;
          const cx = Math.min(Math.max(fx, radius), size - radius);
          const cy = Math.min(Math.max(fy, radius), size - radius);
          if (Math.hypot(fx - cx, fy - cy) > radius) continue;
          inBg++;
          let d = Infinity;
          for (let i = 1; i < pts.length; i++) d = Math.min(d, segmentDistance(fx, fy, pts[i - 1], pts[i]));
          if (d <= half) inFg++;
        }
      }
      const o = (y * size + x) * 4;
      const f = inBg ? inFg / inBg : 0;
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(bg[c] * (1 - f) + fg[c] * f);
      px[o + 3] = Math.round((inBg / (S * S)) * 255);
    }
  }
  return px;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file (8-bit RGBA) from raw pixels. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
