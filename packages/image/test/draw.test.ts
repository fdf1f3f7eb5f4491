import type { Detection, PixelImage } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  drawBoxes,
  drawDetections,
  labelLayout,
  makePalette,
  measureText,
  overlayMask,
  overlaySegmentation,
  paletteColour,
  sideBySide,
  vocPalette,
} from '../src/index.js';

function grey(width: number, height: number, v = 100): PixelImage {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(v) };
}
const px = (img: PixelImage, x: number, y: number): number[] =>
  Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

describe('palettes', () => {
  it('vocPalette is the Pascal VOC colour map', () => {
    const p = vocPalette(21);
    expect(paletteColour(p, 0)).toEqual([0, 0, 0]);
    expect(paletteColour(p, 1)).toEqual([128, 0, 0]); // aeroplane
    expect(paletteColour(p, 2)).toEqual([0, 128, 0]);
    expect(paletteColour(p, 7)).toEqual([128, 128, 128]); // car
    expect(paletteColour(p, 8)).toEqual([64, 0, 0]);
    expect(paletteColour(p, 15)).toEqual([192, 128, 128]); // person
    expect(paletteColour(p, 20)).toEqual([0, 64, 128]); // tv/monitor
    expect(vocPalette().length).toBe(768);
  });

  it('makePalette gives n distinct colours', () => {
    const p = makePalette(80);
    const seen = new Set<string>();
    for (let k = 0; k < 80; k++) seen.add(paletteColour(p, k).join(','));
    expect(seen.size).toBe(80);
    expect(paletteColour(p, 80)).toEqual(paletteColour(p, 0)); // wraps
  });
});

describe('drawBoxes / drawDetections', () => {
  const det: Detection = {
    box: { x1: 10, y1: 20, x2: 40, y2: 50 },
    normalizedBox: { x1: 0.1, y1: 0.2, x2: 0.4, y2: 0.5 },
    classId: 3,
    label: 'A',
    score: 0.5,
  };

  it('outlines the box in the class colour, leaves the interior and the input untouched', () => {
    const img = grey(100, 80);
    const before = img.data.slice();
    const palette = makePalette(10);
    const out = drawDetections(img, [det], { palette, lineWidth: 2 });
    expect(img.data).toEqual(before);
    const colour = paletteColour(palette, 3);
    // Outline: columns 10–11 and 38–39, rows 20–21 and 48–49.
    for (const [x, y] of [
      [10, 20],
      [11, 35],
      [39, 49],
      [38, 30],
      [25, 20],
      [25, 49],
    ] as const)
      expect(px(out, x, y)).toEqual(colour);
    for (const [x, y] of [
      [12, 22],
      [25, 35],
      [37, 47],
      [9, 30],
      [40, 30],
      [25, 50],
    ] as const)
      expect(px(out, x, y)).toEqual([100, 100, 100]);
  });

  it('writes the label text inside a band above the box', () => {
    const img = grey(100, 80);
    const palette = makePalette(10);
    const out = drawDetections(img, [det], { palette });
    const text = 'A 0.50';
    const l = labelLayout(det.box, text, 1, 100);
    const { width: tw, height: th } = measureText(text, 1);
    expect(tw).toBe(6 * 6 - 1);
    expect(th).toBe(7);
    // Band of 35 + 2 by 7 + 2 pixels ending at the box's top edge.
    expect(l.band).toEqual({ x1: 10, y1: 11, x2: 47, y2: 20 });
    const colour = paletteColour(palette, 3);
    const luma = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2];
    const ink = luma > 140 ? [0, 0, 0] : [255, 255, 255];
    // 'A' column 0 is 0x7e: rows 1–6 inked, row 0 not.
    expect(px(out, l.textX, l.textY)).toEqual(colour);
    for (let row = 1; row < 7; row++) expect(px(out, l.textX, l.textY + row)).toEqual(ink);
    // 'A' column 2 is 0x11: rows 0 and 4.
    expect(px(out, l.textX + 2, l.textY)).toEqual(ink);
    expect(px(out, l.textX + 2, l.textY + 1)).toEqual(colour);
    expect(px(out, l.textX + 2, l.textY + 4)).toEqual(ink);
    // Ink and band only: every pixel of the band is one of the two colours.
    let inked = 0;
    for (let y = l.band.y1; y < l.band.y2; y++)
      for (let x = l.band.x1; x < l.band.x2; x++) {
        const p = px(out, x, y).join();
        expect([colour.join(), ink.join()]).toContain(p);
        if (p === ink.join()) inked++;
      }
    expect(inked).toBeGreaterThan(20);
    // Outside the band and box nothing changed.
    expect(px(out, 48, 15)).toEqual([100, 100, 100]);
  });

  it('puts the band inside the box at the top edge and keeps it inside the image', () => {
    const l = labelLayout({ x1: 95, y1: 2, x2: 100, y2: 30 }, 'cat', 2, 100);
    expect(l.band.y1).toBe(2);
    expect(l.band.x2).toBeLessThanOrEqual(100);
    const out = drawBoxes(
      grey(100, 40),
      [{ box: { x1: 95, y1: 2, x2: 100, y2: 30 }, label: 'cat', colour: [255, 0, 0] }],
      {
        fontScale: 2,
      },
    );
    expect(px(out, l.band.x1, l.band.y1)).toEqual([255, 0, 0]);
  });

  it('draws on grey and float images in their own kind', () => {
    const g: PixelImage = { width: 20, height: 20, channels: 1, data: new Float32Array(400) };
    const out = drawBoxes(g, [{ box: { x1: 2, y1: 2, x2: 10, y2: 10 }, colour: [255, 255, 255] }], {
      lineWidth: 1,
    });
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(out.data[2 * 20 + 2]).toBeCloseTo(1, 6);
    expect(out.data[5 * 20 + 5]).toBe(0);
  });
});

describe('overlayMask / overlaySegmentation', () => {
  it('blends the colour with alpha where the mask is set (hand-computed)', () => {
    const img = grey(4, 2, 100);
    const mask = new Uint8Array([0, 1, 1, 0, 0, 0, 0, 1]);
    const out = overlayMask(img, mask, { colour: [255, 0, 10], alpha: 0.3 });
    // 0.7·100 + 0.3·255 = 146.5 → 147; 0.7·100 = 70; 0.7·100 + 3 = 73
    expect(px(out, 1, 0)).toEqual([147, 70, 73]);
    expect(px(out, 3, 1)).toEqual([147, 70, 73]);
    expect(px(out, 0, 0)).toEqual([100, 100, 100]);
    expect(Array.from(img.data)).toEqual(new Array(24).fill(100));
  });

  it('paints each class in its VOC colour, background untouched', () => {
    const img = grey(3, 1, 200);
    const seg = { width: 3, height: 1, classMap: new Uint8Array([0, 1, 15]) };
    const out = overlaySegmentation(img, seg, { alpha: 0.5 });
    expect(px(out, 0, 0)).toEqual([200, 200, 200]);
    expect(px(out, 1, 0)).toEqual([164, 100, 100]); // (200 + 128)/2, 200/2, 200/2
    expect(px(out, 2, 0)).toEqual([196, 164, 164]); // (200 + 192)/2, (200 + 128)/2
    const all = overlaySegmentation(img, seg, { alpha: 1, includeBackground: true });
    expect(px(all, 0, 0)).toEqual([0, 0, 0]);
  });

  it('resamples a smaller class map to the image (nearest)', () => {
    const img = grey(4, 2, 0);
    const seg = { width: 2, height: 1, classMap: new Uint16Array([1, 0]) };
    const out = overlaySegmentation(img, seg, { alpha: 1 });
    expect(px(out, 1, 1)).toEqual([128, 0, 0]);
    expect(px(out, 2, 0)).toEqual([0, 0, 0]);
  });
});

describe('sideBySide', () => {
  it('places images with a gap and captions above', () => {
    const a = grey(3, 2, 10);
    const b: PixelImage = { width: 2, height: 4, channels: 1, data: new Uint8Array(8).fill(50) };
    const out = sideBySide([a, b], { gap: 1, labels: ['a', 'b'], background: [255, 255, 255] });
    const band = 7 + 4;
    expect(out).toMatchObject({ width: 6, height: band + 4, channels: 3 });
    expect(px(out, 0, band)).toEqual([10, 10, 10]);
    expect(px(out, 2, band + 1)).toEqual([10, 10, 10]);
    expect(px(out, 3, band)).toEqual([255, 255, 255]); // gap
    expect(px(out, 4, band + 3)).toEqual([50, 50, 50]);
    expect(px(out, 0, band + 3)).toEqual([255, 255, 255]); // below the shorter image
    let ink = 0;
    for (let y = 0; y < band; y++) for (let x = 0; x < 6; x++) if (px(out, x, y)[0] === 0) ink++;
    expect(ink).toBeGreaterThan(4);
    expect(() => sideBySide([a], { labels: ['x', 'y'] })).toThrow(/2 labels for 1 images/);
  });
});
