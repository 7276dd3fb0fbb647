import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

/**
 * A minimal PNG decoder (8-bit greyscale / RGB / RGBA / grey+alpha, non-interlaced — what Chromium's
 * screenshots are) and a tolerant image comparison, so the rendered certificates can be checked against
 * committed references without an image library (pngjs is not installed).
 */
export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(buf: Buffer): Image {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    pos += 12 + len;
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colorType = body[9]!;
      if (depth !== 8 || !(colorType in CHANNELS) || body[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${body[12]})`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
  }
  const ch = CHANNELS[colorType]!;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * ch;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= ch ? px[row + x - ch]! : 0;
      const b = y > 0 ? px[row - stride + x]! : 0;
      const c = x >= ch && y > 0 ? px[row - stride + x - ch]! : 0;
      let v = src[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      px[row + x] = v & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * ch;
    const [r, g, b, al] = ch === 1 ? [px[s]!, px[s]!, px[s]!, 255] : ch === 2 ? [px[s]!, px[s]!, px[s]!, px[s + 1]!] : ch === 3 ? [px[s]!, px[s + 1]!, px[s + 2]!, 255] : [px[s]!, px[s + 1]!, px[s + 2]!, px[s + 3]!];
    data.set([r, g, b, al], i * 4);
  }
  return { width, height, data };
}

export interface Diff {
  /** Sizes within `sizeSlack` pixels of each other (an element at a sub-pixel offset may be cut one row taller). */
  comparable: boolean;
  /** Pixels whose largest channel difference exceeds the threshold, plus those outside the common area. */
  differing: number;
  ratio: number;
}

export function diffImages(a: Image, b: Image, threshold = 48, sizeSlack = 2): Diff {
  const total = Math.max(a.width * a.height, b.width * b.height);
  if (Math.abs(a.width - b.width) > sizeSlack || Math.abs(a.height - b.height) > sizeSlack) return { comparable: false, differing: total, ratio: 1 };
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let differing = total - w * h;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * a.width + x) * 4;
      const j = (y * b.width + x) * 4;
      let d = 0;
      for (let k = 0; k < 4; k++) d = Math.max(d, Math.abs(a.data[i + k]! - b.data[j + k]!));
      if (d > threshold) differing++;
    }
  }
  return { comparable: true, differing, ratio: differing / total };
}

export const REFERENCES_DIR = resolve(import.meta.dirname, '../references');
const ACTUAL_DIR = resolve(import.meta.dirname, '../../dist/test-results/png');

/**
 * Compares a screenshot with e2e/references/<name>.png. A missing reference fails, unless
 * UPDATE_REFERENCES=1, which (re)writes it. On a mismatch the actual image is kept in dist/test-results/png.
 */
export function compareWithReference(name: string, png: Buffer, maxRatio = 0.01): { diff: Diff | null; written: boolean; message: string } {
  const ref = join(REFERENCES_DIR, `${name}.png`);
  if (process.env.UPDATE_REFERENCES === '1') {
    mkdirSync(dirname(ref), { recursive: true });
    writeFileSync(ref, png);
    return { diff: null, written: true, message: `reference written: ${ref}` };
  }
  if (!existsSync(ref)) return { diff: null, written: false, message: `reference missing: ${ref} (run with UPDATE_REFERENCES=1 to create it)` };
  const diff = diffImages(decodePng(readFileSync(ref)), decodePng(png));
  const ok = diff.comparable && diff.ratio <= maxRatio;
  if (!ok) {
    mkdirSync(ACTUAL_DIR, { recursive: true });
    writeFileSync(join(ACTUAL_DIR, `${name}.actual.png`), png);
  }
  return { diff, written: false, message: ok ? 'ok' : `${name}: ${diff.comparable ? `${(diff.ratio * 100).toFixed(2)}% of pixels differ` : 'size differs'} (actual saved in ${ACTUAL_DIR})` };
}
