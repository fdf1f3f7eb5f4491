/**
 * Decoder of CenterNet graphs that end in their own top-k decoding (610265158/mobilenetv3_centernet,
 * `lib/core/model/centernet.py`, `Centernet.postprocess`): one output `[1, K, 6]` whose rows are
 * `x1, y1, x2, y2, score, class` in model-input pixels, taken as the K highest peaks of the
 * class heatmap after a 3×3 max-pool peak filter. The peak filter leaves neighbouring peaks of
 * one object, so a class-aware NMS follows here.
 * @module
 */
import { type DecodeContext, DecodeError, type Decoder, type Detection, type Tensor } from '@ocular/core';
import { Candidates, finishDetections } from './candidates.js';
import {
  type BoxFormat,
  badShape,
  checkBoxFormat,
  checkCount,
  checkRank,
  type DetectionDecodeOptions,
  floats,
  type ResolvedDetectionOptions,
  requireOutput,
  resolveDetectionOptions,
  writeXyxy,
} from './common.js';

/** Options of {@link CenterNetDecoder}. Serialisable. */
export interface CenterNetDecoderOptions extends DetectionDecodeOptions {
  /** The `[1, K, 6]` output (default `detections`). */
  readonly outputName?: string;
  /** Order of the four box numbers (default `xyxy`). */
  readonly boxFormat?: BoxFormat;
  /** Whether boxes are fractions of the input size (default false: model-input pixels). */
  readonly normalized?: boolean;
  /** Classes; with it, rows whose class id is outside `0…numClasses−1` are a `DecodeError`. */
  readonly numClasses?: number;
  /** Run class-aware NMS over the K rows (default true). */
  readonly applyNms?: boolean;
}

/**
 * Decodes `[1, K, 6]` CenterNet detections: rows above the score threshold, class-aware NMS
 * (IoU 0.45 by default), mapped through the input transform to the source image.
 */
export class CenterNetDecoder implements Decoder<Detection[]> {
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[];
  readonly options: CenterNetDecoderOptions;
  private readonly resolved: ResolvedDetectionOptions;
  private readonly format: BoxFormat;

  constructor(options: CenterNetDecoderOptions = {}) {
    this.options = { ...options };
    this.resolved = resolveDetectionOptions(options, { maxDetections: 100 });
    this.format = checkBoxFormat('boxFormat', options.boxFormat ?? 'xyxy');
    checkCount('numClasses', options.numClasses);
    this.outputNames = [options.outputName ?? 'detections'];
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = 'centernet decoder';
    const name = this.outputNames[0]!;
    const t = requireOutput(raw, name, d, '[1, K, 6]');
    const [, k, cols] = checkRank(d, name, t, 3, '[1, K, 6]') as [number, number, number];
    if (cols !== 6) badShape(d, name, t, '[1, K, 6]', 'rows of x1, y1, x2, y2, score, class');
    const v = floats(t);
    const { width: iw, height: ih } = context.transform.input;
    const [sx, sy] = this.options.normalized ? [iw, ih] : [1, 1];
    const nc = this.options.numClasses;
    const box = new Float32Array(4);
    const out = new Candidates();
    for (let i = 0; i < k; i++) {
      const o = i * 6;
      const score = v[o + 4]!;
      if (!(score > this.resolved.scoreThreshold)) continue;
      const cls = v[o + 5]!;
      if (!(Number.isInteger(cls) && cls >= 0 && (nc === undefined || cls < nc)))
        throw new DecodeError(
          `${d}: row ${i} of '${name}' has class ${cls}, expected an integer in 0…${nc === undefined ? '' : nc - 1}`,
          { output: name, row: i, classId: cls },
        );
      writeXyxy(box, 0, this.format, v[o]!, v[o + 1]!, v[o + 2]!, v[o + 3]!, sx, sy);
      out.add(box[0]!, box[1]!, box[2]!, box[3]!, score, cls);
    }
    return finishDetections(out, this.resolved, context, this.options.applyNms ?? true);
  }
}
