/**
 * Decoders of Ultralytics-style YOLO outputs: YOLOv8/11 (`[1, 4+nc, N]`, class scores only) and
 * YOLOv5/7 (`[1, N, 5+nc]`, an objectness score before the class scores). Boxes are centre and
 * size in model-input pixels; scores are already probabilities.
 * @module
 */
import type { DecodeContext, Decoder, Detection, Tensor } from '@ocular/core';
import { Candidates, finishDetections, pickClasses } from './candidates.js';
import {
  checkCount,
  type DetectionDecodeOptions,
  floats,
  type ResolvedDetectionOptions,
  requireOutput,
  resolveDetectionOptions,
} from './common.js';
import { type AttributeLayout, checkLayout, resolveLayout } from './layout.js';

/** Options of {@link YoloV8Decoder} and {@link YoloV5Decoder}. Serialisable. */
export interface YoloDecoderOptions extends DetectionDecodeOptions {
  /** The graph output to read (default `output`; Ultralytics exports call it `output0`). */
  readonly outputName?: string;
  /** Attribute axis (default `auto`: detected from the shape). */
  readonly layout?: AttributeLayout;
  /** Classes (default: inferred from the output's attribute count). */
  readonly numClasses?: number;
}

/** Shared decoding of both YOLO formats; `objectness` says whether attribute 4 multiplies the class scores. */
abstract class YoloDecoderBase implements Decoder<Detection[]> {
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[];
  readonly options: YoloDecoderOptions;
  protected readonly resolved: ResolvedDetectionOptions;
  protected abstract readonly kind: string;
  protected abstract readonly extra: 4 | 5;
  protected abstract readonly preferred: 'channels-first' | 'channels-last';

  constructor(options: YoloDecoderOptions = {}) {
    this.options = { ...options };
    this.resolved = resolveDetectionOptions(options);
    checkCount('numClasses', options.numClasses);
    checkLayout('layout', options.layout ?? 'auto');
    this.outputNames = [options.outputName ?? 'output'];
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const name = this.outputNames[0]!;
    const decoder = `${this.kind} decoder`;
    const attrs =
      this.options.numClasses === undefined ? `${this.extra}+nc` : `${this.extra + this.options.numClasses}`;
    const t = requireOutput(raw, name, decoder, `[1, ${attrs}, N] or [1, N, ${attrs}]`);
    const table = resolveLayout(
      decoder,
      name,
      t,
      this.extra,
      this.options.numClasses,
      this.options.layout ?? 'auto',
      this.preferred,
    );
    const data = floats(t);
    const n = table.numBoxes;
    const na = table.numAttributes;
    const nc = na - this.extra;
    // Attribute k of box i (batch 0) in either layout.
    const at =
      table.layout === 'channels-first'
        ? (i: number, k: number) => data[k * n + i]!
        : (i: number, k: number) => data[i * na + k]!;
    const { scoreThreshold, multiLabel } = this.resolved;
    const out = new Candidates();
    for (let i = 0; i < n; i++) {
      let obj = 1;
      if (this.extra === 5) {
        obj = at(i, 4);
        // YOLOv5 drops low objectness first (as its own NMS does): no class can score above it.
        if (!(obj > scoreThreshold)) continue;
      }
      pickClasses(
        nc,
        (k) => obj * at(i, this.extra + k),
        scoreThreshold,
        multiLabel,
        (classId, score) => {
          const cx = at(i, 0);
          const cy = at(i, 1);
          const hw = at(i, 2) / 2;
          const hh = at(i, 3) / 2;
          out.add(cx - hw, cy - hh, cx + hw, cy + hh, score, classId);
        },
      );
    }
    return finishDetections(out, this.resolved, context);
  }
}

/**
 * Decodes a YOLOv8/YOLO11-format output: `[1, 4+nc, N]` (or transposed `[1, N, 4+nc]`) with
 * `cx, cy, w, h` in model-input pixels and per-class scores already passed through a sigmoid.
 * A box's best class above `scoreThreshold` is a candidate (every such class with
 * `multiLabel`); candidates go through per-class NMS and are mapped to source pixels.
 */
export class YoloV8Decoder extends YoloDecoderBase {
  protected readonly kind = 'yolov8';
  protected readonly extra = 4;
  protected readonly preferred = 'channels-first';
}

/**
 * Decodes a YOLOv5/YOLOv7-format output: `[1, N, 5+nc]` (or transposed `[1, 5+nc, N]`) with
 * `cx, cy, w, h` in model-input pixels, an objectness probability and per-class probabilities;
 * a class scores `objectness * class probability`.
 */
export class YoloV5Decoder extends YoloDecoderBase {
  protected readonly kind = 'yolov5';
  protected readonly extra = 5;
  protected readonly preferred = 'channels-last';
}
