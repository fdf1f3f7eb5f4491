// The browser code paths with minimal fakes of the DOM objects: a fake 2D context keeps an RGBA
// buffer; fake ImageBitmap/VideoFrame objects carry the RGBA pixels that drawImage copies. These
// check Ocular's plumbing (feature detection, MIME types, channel conversion, limits, close()),
// not a browser's decoder; a real-browser test is separate.
import { ImageError } from '@ocular/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeImage, loadImage } from '../src/index.js';
import { makePng, noise } from './helpers/png.js';

interface Drawable {
  width?: number;
  height?: number;
  displayWidth?: number;
  displayHeight?: number;
  rgba: Uint8ClampedArray;
}

class FakeContext {
  rgba: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgba = new Uint8ClampedArray(width * height * 4);
  }
  drawImage(source: Drawable | FakeCanvas, dx: number, dy: number): void {
    expect([dx, dy]).toEqual([0, 0]);
    const rgba = source instanceof FakeCanvas ? source.ctx.rgba : source.rgba;
    this.rgba.set(rgba.subarray(0, this.rgba.length));
  }
  getImageData(sx: number, sy: number, sw: number, sh: number): { data: Uint8ClampedArray } {
    expect([sx, sy, sw, sh]).toEqual([0, 0, this.width, this.height]);
    return { data: this.rgba.slice() };
  }
  putImageData(data: { data: Uint8ClampedArray }): void {
    this.rgba.set(data.data);
  }
}

class FakeCanvas {
  ctx: FakeContext;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly has2d = true,
  ) {
    this.ctx = new FakeContext(width, height);
  }
  getContext(id: string): FakeContext | null {
    expect(id).toBe('2d');
    return this.has2d ? this.ctx : null;
  }
  async convertToBlob(o: { type: string; quality?: number }): Promise<Blob> {
    lastEncode = { type: o.type, quality: o.quality, rgba: this.ctx.rgba.slice() };
    return new Blob([new Uint8Array([1, 2, 3])], { type: o.type });
  }
}

class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

let lastEncode: { type: string; quality?: number; rgba: Uint8ClampedArray } | undefined;
const rgba2x1 = new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 128]);

beforeEach(() => {
  vi.stubGlobal('OffscreenCanvas', FakeCanvas);
  vi.stubGlobal('ImageData', FakeImageData);
});
afterEach(() => {
  vi.unstubAllGlobals();
  lastEncode = undefined;
});

describe('browser decoding with createImageBitmap', () => {
  it('decodes bytes through a bitmap, with the MIME type of the sniffed format, and closes it', async () => {
    let closed = 0;
    const seen: string[] = [];
    vi.stubGlobal('createImageBitmap', async (blob: Blob, opts: Record<string, unknown>) => {
      seen.push(blob.type);
      expect(opts).toMatchObject({ premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      return { width: 2, height: 1, rgba: rgba2x1, close: () => closed++ };
    });
    const png = makePng(2, 1, 4, noise(8));
    const rgb = await loadImage(png, { codec: 'browser' });
    expect(seen).toEqual(['image/png']);
    expect(closed).toBe(1);
    expect(rgb).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect(Array.from(rgb.data)).toEqual([10, 20, 30, 40, 50, 60]);
    const rgba = await loadImage(png, { codec: 'browser', keepAlpha: true });
    expect(Array.from(rgba.data)).toEqual(Array.from(rgba2x1));
  });

  it('checks the header limit before calling the browser decoder', async () => {
    const decode = vi.fn();
    vi.stubGlobal('createImageBitmap', decode);
    const huge = makePng(2, 2, 3, noise(12), { width: 50000, height: 50000 });
    await expect(loadImage(huge, { codec: 'browser' })).rejects.toThrow(/over the limit/);
    expect(decode).not.toHaveBeenCalled();
  });

  it('reports a decoder rejection and missing APIs as ImageError', async () => {
    vi.stubGlobal('createImageBitmap', async () => {
      throw new Error('InvalidStateError');
    });
    await expect(loadImage(makePng(2, 1, 3, noise(6)), { codec: 'browser' })).rejects.toThrow(
      /corrupt or truncated PNG data: the browser could not decode it/,
    );
    vi.stubGlobal('createImageBitmap', undefined);
    await expect(loadImage(makePng(2, 1, 3, noise(6)), { codec: 'browser' })).rejects.toThrow(
      /createImageBitmap is not available/,
    );
  });
});

describe('DOM sources', () => {
  it('reads a 2D canvas directly and a WebGL canvas through an OffscreenCanvas', async () => {
    const c = new FakeCanvas(2, 1);
    c.ctx.rgba.set(rgba2x1);
    expect(Array.from((await loadImage(c)).data)).toEqual([10, 20, 30, 40, 50, 60]);
    const gl = new FakeCanvas(2, 1, false);
    gl.ctx.rgba.set(rgba2x1);
    expect(Array.from((await loadImage(gl, { keepAlpha: true })).data)).toEqual(Array.from(rgba2x1));
  });

  it('rasterises ImageBitmap and VideoFrame sources, checking the limit first', async () => {
    const bitmap = { width: 2, height: 1, rgba: rgba2x1, close: () => undefined };
    expect(Array.from((await loadImage(bitmap)).data)).toEqual([10, 20, 30, 40, 50, 60]);
    const frame = {
      displayWidth: 2,
      displayHeight: 1,
      format: 'RGBA',
      rgba: rgba2x1,
      close: () => undefined,
    };
    expect(Array.from((await loadImage(frame)).data)).toEqual([10, 20, 30, 40, 50, 60]);
    await expect(
      loadImage({ ...frame, displayWidth: 4000, displayHeight: 4000 }, { maxPixels: 1000 }),
    ).rejects.toThrow(/VideoFrame is 4000x4000/);
  });

  it('names the missing canvas API', async () => {
    vi.stubGlobal('OffscreenCanvas', undefined);
    const bitmap = { width: 2, height: 1, rgba: rgba2x1, close: () => undefined };
    const err = await loadImage(bitmap).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as Error).message).toMatch(/neither OffscreenCanvas nor document.createElement/);
  });
});

describe('browser encoding', () => {
  it('expands grey to RGBA, passes the MIME type and quality/100, returns the blob bytes', async () => {
    const grey = { width: 2, height: 1, channels: 1 as const, data: new Uint8Array([7, 9]) };
    const bytes = await encodeImage(grey, 'webp', { quality: 80, codec: 'browser' });
    expect(Array.from(bytes)).toEqual([1, 2, 3]);
    expect(lastEncode?.type).toBe('image/webp');
    expect(lastEncode?.quality).toBeCloseTo(0.8, 9);
    expect(Array.from(lastEncode!.rgba)).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
  });

  it('refuses a blob of another type (the browser cannot encode that format)', async () => {
    vi.stubGlobal(
      'OffscreenCanvas',
      class extends FakeCanvas {
        override async convertToBlob(): Promise<Blob> {
          return new Blob([new Uint8Array(1)], { type: 'image/png' });
        }
      },
    );
    const img = { width: 1, height: 1, channels: 3 as const, data: new Uint8Array(3) };
    await expect(encodeImage(img, 'webp', { codec: 'browser' })).rejects.toThrow(/cannot encode WEBP/);
  });
});
