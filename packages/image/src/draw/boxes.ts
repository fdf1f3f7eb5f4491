/**
 * Drawing boxes with labels: `drawBoxes` for any boxes, `drawDetections` for task results.
 * @module
 */
import { type Box, type Detection, InvalidArgumentError, type PixelImage } from '@ocular/core';
import { assertPixelImage, colourFor } from '../pixel.js';
import { drawText, fillRect, measureText, strokeRect } from './canvas.js';
import { makePalette, paletteColour } from './palette.js';

/** One box to draw. */
export interface DrawBox {
  readonly box: Box;
  /** Text of the label band; no band when absent or empty. */
  readonly label?: string;
  /** RGB 0–255; default the palette colour of `classId` (or of the box's position in the list). */
  readonly colour?: readonly [number, number, number];
  readonly classId?: number;
}

/** Options of {@link drawBoxes}. */
export interface DrawBoxesOptions {
  /** Outline width in pixels, drawn inside the box. Default 2. */
  readonly lineWidth?: number;
  /** Integer scale of the 5×7 font. Default 1. */
  readonly fontScale?: number;
  /** Class colours (flat RGB); default {@link makePalette}(91). */
  readonly palette?: Uint8Array;
  /** Text colour; default black or white, whichever contrasts with the box colour. */
  readonly textColour?: readonly [number, number, number];
}

/** Padding in pixels between the label band's edge and its text, at font scale 1. */
export const LABEL_PADDING = 1;

/** Where {@link drawBoxes} puts a label band and its text (exported for tests and custom layouts). */
export interface LabelLayout {
  /** The band: `[x1, x2) × [y1, y2)`. */
  readonly band: Box;
  /** Top-left corner of the text. */
  readonly textX: number;
  readonly textY: number;
}

/**
 * The label band of `box` in a `width × height` image: above the box's top-left corner when it
 * fits, else just inside the box's top edge; shifted left to stay inside the image.
 */
export function labelLayout(box: Box, text: string, fontScale: number, width: number): LabelLayout {
  const pad = LABEL_PADDING * fontScale;
  const { width: tw, height: th } = measureText(text, fontScale);
  const bw = tw + 2 * pad;
  const bh = th + 2 * pad;
  const x = Math.max(0, Math.min(Math.floor(box.x1), width - bw));
  const top = Math.floor(box.y1);
  const y = top - bh >= 0 ? top - bh : Math.max(0, top);
  return { band: { x1: x, y1: y, x2: x + bw, y2: y + bh }, textX: x + pad, textY: y + pad };
}

function contrastText(rgb: readonly number[]): [number, number, number] {
  const luma = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
  return luma > 140 ? [0, 0, 0] : [255, 255, 255];
}

function checkScale(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Draws rectangles (outlined inside their edges) and label bands with text on a copy of `img`;
 * the input is untouched. Boxes are clipped to the image.
 */
export function drawBoxes(
  img: PixelImage,
  boxes: readonly DrawBox[],
  options: DrawBoxesOptions = {},
): PixelImage {
  assertPixelImage(img);
  const lineWidth = checkScale(options.lineWidth ?? 2, 'lineWidth');
  const fontScale = checkScale(options.fontScale ?? 1, 'fontScale');
  const palette = options.palette ?? makePalette(91);
  const out: PixelImage = {
    width: img.width,
    height: img.height,
    channels: img.channels,
    data: img.data.slice(),
  };
  boxes.forEach((d, i) => {
    const rgb = d.colour ?? paletteColour(palette, d.classId ?? i);
    const colour = colourFor(out, rgb);
    strokeRect(out, d.box.x1, d.box.y1, d.box.x2, d.box.y2, lineWidth, colour);
    if (d.label) {
      const l = labelLayout(d.box, d.label, fontScale, out.width);
      fillRect(out, l.band.x1, l.band.y1, l.band.x2, l.band.y2, colour);
      drawText(
        out,
        l.textX,
        l.textY,
        d.label,
        fontScale,
        colourFor(out, options.textColour ?? contrastText(rgb)),
      );
    }
  });
  return out;
}

/** Options of {@link drawDetections}. */
export interface DrawDetectionsOptions extends DrawBoxesOptions {
  /** Append the score to the label. Default true. */
  readonly showScore?: boolean;
  /** Decimals of the score. Default 2. */
  readonly scoreDigits?: number;
}

/** The label text {@link drawDetections} writes: `"<label> <score>"`, e.g. `person 0.87`. */
export function detectionLabel(d: Detection, showScore = true, digits = 2): string {
  return showScore ? `${d.label} ${d.score.toFixed(digits)}` : d.label;
}

/**
 * Draws detections on a copy of `img`: each box in its class colour (palette entry `classId`)
 * with a band reading `label score`.
 */
export function drawDetections(
  img: PixelImage,
  detections: readonly Detection[],
  options: DrawDetectionsOptions = {},
): PixelImage {
  const boxes = detections.map((d) => ({
    box: d.box,
    classId: d.classId,
    label: detectionLabel(d, options.showScore ?? true, options.scoreDigits ?? 2),
  }));
  return drawBoxes(img, boxes, options);
}
