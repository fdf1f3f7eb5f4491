import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AbortError, ImageError, InvalidArgumentError, type PixelImage } from '@ocular/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, loadImage, probeImage, saveImage } from '../src/index.js';
import { makePng, noise } from './helpers/png.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocular-image-'));
  await writeFile(join(dir, 'not-an-image.txt'), 'hello, this is text');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rgbPixels = noise(5 * 4 * 3, 7);

describe('probeImage', () => {
  it('reads PNG, JPEG and WebP sizes from headers', async () => {
    const png = makePng(5, 4, 3, rgbPixels);
    expect(probeImage(png)).toEqual({ format: 'png', width: 5, height: 4 });
    const raw = { raw: { width: 37, height: 21, channels: 3 as const } };
    const px = noise(37 * 21 * 3);
    const jpeg = new Uint8Array(await sharp(px, raw).jpeg().toBuffer());
    expect(probeImage(jpeg)).toEqual({ format: 'jpeg', width: 37, height: 21 });
    const lossy = new Uint8Array(await sharp(px, raw).webp({ quality: 50 }).toBuffer());
    expect(probeImage(lossy)).toEqual({ format: 'webp', width: 37, height: 21 });
    const lossless = new Uint8Array(await sharp(px, raw).webp({ lossless: true }).toBuffer());
    expect(probeImage(lossless)).toEqual({ format: 'webp', width: 37, height: 21 });
    const alpha = new Uint8Array(
      await sharp(noise(37 * 21 * 4), { raw: { width: 37, height: 21, channels: 4 } })
        .webp({ quality: 50 })
        .toBuffer(),
    );
    expect(probeImage(alpha)).toEqual({ format: 'webp', width: 37, height: 21 });
  });

  it('names unknown and unsupported formats', () => {
    expect(() => probeImage(new Uint8Array(0))).toThrow(/empty/);
    expect(() => probeImage(new TextEncoder().encode('GIF89a....'))).toThrow(
      /unsupported image format 'gif'/,
    );
    expect(() => probeImage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(
      /unknown image format \(first bytes 01 02/,
    );
    expect(() => probeImage(makePng(5, 4, 3, rgbPixels).subarray(0, 20))).toThrow(/truncated PNG header/);
    expect(() => probeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toThrow(ImageError);
  });
});

describe('loadImage', () => {
  it('decodes hand-built PNGs exactly (RGB, grey → RGB, RGBA with and without alpha)', async () => {
    const rgb = await loadImage(makePng(5, 4, 3, rgbPixels));
    expect(rgb).toMatchObject({ width: 5, height: 4, channels: 3 });
    expect(Array.from(rgb.data)).toEqual(Array.from(rgbPixels));

    const grey = noise(20, 3);
    const g = await loadImage(makePng(5, 4, 1, grey));
    expect(g.channels).toBe(3);
    for (let p = 0; p < 20; p++)
      expect([g.data[3 * p], g.data[3 * p + 1], g.data[3 * p + 2]]).toEqual([grey[p], grey[p], grey[p]]);

    const rgba = noise(5 * 4 * 4, 9);
    const kept = await loadImage(makePng(5, 4, 4, rgba), { keepAlpha: true });
    expect(kept.channels).toBe(4);
    expect(Array.from(kept.data)).toEqual(Array.from(rgba));
    const dropped = await loadImage(makePng(5, 4, 4, rgba));
    expect(dropped.channels).toBe(3);
    for (let p = 0; p < 20; p++) expect(dropped.data[3 * p + 1]).toBe(rgba[4 * p + 1]);
  });

  it('decodes grey+alpha and 16-bit PNGs to 8-bit RGB(A)', async () => {
    const ga = makePng(2, 1, 2, new Uint8Array([10, 255, 200, 0]));
    expect(Array.from((await loadImage(ga, { keepAlpha: true })).data)).toEqual([
      10, 10, 10, 255, 200, 200, 200, 0,
    ]);
    expect(Array.from((await loadImage(ga)).data)).toEqual([10, 10, 10, 200, 200, 200]);
    const raw = { raw: { width: 2, height: 1, channels: 3 as const } };
    const p16 = await sharp(new Uint8Array([0, 128, 255, 10, 20, 30]), raw)
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(p16).metadata()).depth).toBe('ushort');
    expect(Array.from((await loadImage(new Uint8Array(p16))).data)).toEqual([0, 128, 255, 10, 20, 30]);
  });

  it('composites alpha over a background when asked', async () => {
    // One pixel: colour (200, 100, 0) at alpha 51 (0.2) over white → 0.2·c + 0.8·255.
    const png = makePng(1, 1, 4, new Uint8Array([200, 100, 0, 51]));
    const img = await loadImage(png, { background: [255, 255, 255] });
    const expected = [200, 100, 0].map((c) => 0.2 * c + 0.8 * 255);
    for (let c = 0; c < 3; c++) expect(Math.abs(img.data[c]! - expected[c]!)).toBeLessThanOrEqual(1);
  });

  it('reads paths, file: URLs, Buffers and ArrayBuffers', async () => {
    const png = makePng(5, 4, 3, rgbPixels);
    const path = join(dir, 'a b.png');
    await writeFile(path, png);
    for (const src of [
      path,
      pathToFileURL(path),
      pathToFileURL(path).href,
      Buffer.from(png),
      png.slice().buffer,
    ]) {
      const img = await loadImage(src);
      expect(Array.from(img.data)).toEqual(Array.from(rgbPixels));
    }
  });

  it('refuses non-file URLs without fetching', async () => {
    await expect(loadImage('https://example.com/cat.png')).rejects.toThrow(/refusing to load a 'https:' URL/);
    await expect(loadImage(new URL('http://example.com/x.jpg'))).rejects.toBeInstanceOf(ImageError);
    await expect(loadImage('data:image/png;base64,AAAA')).rejects.toThrow(/'data:'/);
  });

  it('checks the pixel limit from the header before decoding', async () => {
    // The header claims 100000 × 100000 (10 gigapixels); the data is 2 × 2.
    const huge = makePng(2, 2, 3, noise(12), { width: 100000, height: 100000 });
    await expect(loadImage(huge)).rejects.toThrow(
      /100000x100000 = 10000000000 pixels, over the limit of 67108864/,
    );
    const png = makePng(5, 4, 3, rgbPixels);
    await expect(loadImage(png, { maxPixels: 19 })).rejects.toThrow(/over the limit of 19/);
    await expect(loadImage(png, { maxPixels: 20 })).resolves.toMatchObject({ width: 5 });
    await expect(
      loadImage({ width: 5, height: 5, data: new Uint8ClampedArray(100) }, { maxPixels: 10 }),
    ).rejects.toThrow(/ImageData is 5x5/);
    await expect(loadImage(png, { maxPixels: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('reports truncated and corrupt data as ImageError', async () => {
    const raw = { raw: { width: 64, height: 48, channels: 3 as const } };
    const px = noise(64 * 48 * 3, 5);
    for (const enc of [sharp(px, raw).png(), sharp(px, raw).jpeg(), sharp(px, raw).webp()]) {
      const bytes = new Uint8Array(await enc.toBuffer());
      const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
      const err = await loadImage(cut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect((err as Error).message).toMatch(/corrupt or truncated (PNG|JPEG|WEBP) data/);
    }
    const png = makePng(5, 4, 3, rgbPixels);
    const bad = png.slice();
    bad[45] ^= 0xff; // inside IDAT: the CRC no longer matches
    await expect(loadImage(bad)).rejects.toBeInstanceOf(ImageError);
    await expect(loadImage(join(dir, 'missing.png'))).rejects.toThrow(
      /cannot read image file .*missing\.png.*ENOENT/,
    );
    await expect(loadImage(join(dir, 'not-an-image.txt'))).rejects.toThrow(/unknown image format/);
  });

  it('refuses files over maxBytes and sources of unknown kinds', async () => {
    const path = join(dir, 'small.png');
    await writeFile(path, makePng(5, 4, 3, rgbPixels));
    await expect(loadImage(path, { maxBytes: 10 })).rejects.toThrow(/over the limit of 10/);
    await expect(loadImage(42 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(loadImage(makePng(5, 4, 3, rgbPixels), { signal: ac.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  it('takes PixelImages and ImageData-like objects', async () => {
    const grey: PixelImage = { width: 2, height: 1, channels: 1, data: new Float32Array([0, 0.5]) };
    const img = await loadImage(grey);
    expect(Array.from(img.data)).toEqual([0, 0, 0, 128, 128, 128]);
    const id = { width: 1, height: 2, data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]) };
    expect(Array.from((await loadImage(id)).data)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(Array.from((await loadImage(id, { keepAlpha: true })).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await expect(loadImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).rejects.toThrow(
      /has 5 elements/,
    );
  });
});

describe('encodeImage and saveImage', () => {
  const img: PixelImage = { width: 5, height: 4, channels: 3, data: rgbPixels };

  it('round-trips PNG and lossless-enough JPEG/WebP', async () => {
    const png = await encodeImage(img, 'png');
    expect(probeImage(png)).toEqual({ format: 'png', width: 5, height: 4 });
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data)).toEqual(Array.from(rgbPixels));
    const flat: PixelImage = {
      width: 16,
      height: 16,
      channels: 3,
      data: new Uint8Array(16 * 16 * 3).fill(90),
    };
    for (const format of ['jpeg', 'webp'] as const) {
      const bytes = await encodeImage(flat, format, { quality: 90 });
      expect(probeImage(bytes).format).toBe(format);
      const back = await loadImage(bytes);
      for (const v of back.data) expect(Math.abs(v - 90)).toBeLessThanOrEqual(2);
    }
  });

  it('encodes float and grey images', async () => {
    const f: PixelImage = { width: 2, height: 1, channels: 1, data: new Float32Array([0.2, 1.5]) };
    const back = await loadImage(await encodeImage(f, 'png'));
    expect(Array.from(back.data)).toEqual([51, 51, 51, 255, 255, 255]);
  });

  it('saves with the format of the extension', async () => {
    const path = join(dir, 'out.webp');
    await saveImage(img, path, { quality: 80 });
    const back = await loadImage(path);
    expect(back).toMatchObject({ width: 5, height: 4, channels: 3 });
    await saveImage(img, join(dir, 'out.JPG'));
    expect(probeImage(new Uint8Array(await sharp(join(dir, 'out.JPG')).toBuffer())).format).toBe('jpeg');
    await expect(saveImage(img, join(dir, 'out.gif'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(encodeImage(img, 'jpeg', { quality: 0 })).rejects.toThrow(/quality/);
  });
});
