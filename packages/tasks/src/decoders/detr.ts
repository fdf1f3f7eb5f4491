/**
 * Decoder of set-prediction detectors (DETR, Deformable/Conditional DETR, RT-DETR): one box per
 * query, no NMS, a score threshold and a top-k.
 * @module
 */
import {
  type DecodeContext,
  type Decoder,
  type Detection,
  InvalidArgumentError,
  type Tensor,
} from '@ocular/core';
import { Candidates, finishDetections, pickClasses } from './candidates.js';
import {
  activateRows,
  type BoxFormat,
  badShape,
  checkBoxFormat,
  checkCount,
  checkRank,
  floats,
  type ResolvedDetectionOptions,
  requireOutput,
  resolveDetectionOptions,
  writeXyxy,
} from './common.js';

/** Options of {@link DetrDecoder}. Serialisable. */
export interface DetrDecoderOptions {
  /**
   * `detr`: softmax over `C + 1` logits whose last column is "no object", each query's best
   * real class; `rtdetr`: sigmoid over `C` logits, the best (query, class) pairs over all
   * queries. Default `detr`.
   */
  readonly variant?: 'detr' | 'rtdetr';
  /** Class logits `[1, Q, C(+1)]` (default `pred_logits`; Hugging Face ONNX exports say `logits`). */
  readonly logitsName?: string;
  /** Boxes `[1, Q, 4]` (default `pred_boxes`). */
  readonly boxesName?: string;
  /** Order of the box numbers (default `cxcywh`). */
  readonly boxFormat?: BoxFormat;
  /** Boxes are fractions of the model input (default true) or input pixels. */
  readonly normalized?: boolean;
  /** Real classes, checked against the logits (default: inferred). */
  readonly numClasses?: number;
  /** Detections scoring at or below this are dropped (default 0.5). */
  readonly scoreThreshold?: number;
  /** Top-k: keep at most this many, best first (default 100). */
  readonly maxDetections?: number;
}

/** Decodes DETR-style set predictions (no NMS: queries do not duplicate each other by design). */
export class DetrDecoder implements Decoder<Detection[]> {
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[];
  readonly options: DetrDecoderOptions;
  private readonly resolved: ResolvedDetectionOptions;

  constructor(options: DetrDecoderOptions = {}) {
    this.options = { ...options };
    const variant = options.variant ?? 'detr';
    if (variant !== 'detr' && variant !== 'rtdetr')
      throw new InvalidArgumentError(`variant must be 'detr' or 'rtdetr', got '${String(variant)}'`);
    checkBoxFormat('boxFormat', options.boxFormat ?? 'cxcywh');
    checkCount('numClasses', options.numClasses);
    this.resolved = resolveDetectionOptions(
      { scoreThreshold: options.scoreThreshold, maxDetections: options.maxDetections },
      { scoreThreshold: 0.5, maxDetections: 100, multiLabel: variant === 'rtdetr' },
    );
    this.outputNames = [options.logitsName ?? 'pred_logits', options.boxesName ?? 'pred_boxes'];
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = `${this.options.variant ?? 'detr'} decoder`;
    const rt = this.options.variant === 'rtdetr';
    const [logitsName, boxesName] = this.outputNames as [string, string];
    const extra = rt ? 0 : 1;
    const cols =
      this.options.numClasses === undefined ? (rt ? 'C' : 'C+1') : `${this.options.numClasses + extra}`;
    const logitsT = requireOutput(raw, logitsName, d, `[1, Q, ${cols}]`);
    const [, q, c] = checkRank(d, logitsName, logitsT, 3, `[1, Q, ${cols}]`) as [number, number, number];
    const nc = c - extra;
    if (nc < 1 || (this.options.numClasses !== undefined && nc !== this.options.numClasses))
      badShape(d, logitsName, logitsT, `[1, Q, ${cols}]`, rt ? '' : 'the last column is no-object');
    const boxesT = requireOutput(raw, boxesName, d, `[1, ${q}, 4]`);
    checkRank(d, boxesName, boxesT, 3, `[1, ${q}, 4]`);
    if (boxesT.dims[1] !== q || boxesT.dims[2] !== 4)
      badShape(d, boxesName, boxesT, `[1, ${q}, 4]`, `the logits have ${q} queries`);

    const probs = floats(logitsT).slice(0, q * c);
    activateRows(probs, q, c, rt ? 'sigmoid' : 'softmax');
    const b = floats(boxesT);
    const f = this.options.boxFormat ?? 'cxcywh';
    const { width, height } = context.transform.input;
    const [sx, sy] = this.options.normalized === false ? [1, 1] : [width, height];
    const xyxy = [0, 0, 0, 0];
    const out = new Candidates();
    for (let i = 0; i < q; i++) {
      writeXyxy(xyxy, 0, f, b[i * 4]!, b[i * 4 + 1]!, b[i * 4 + 2]!, b[i * 4 + 3]!, sx, sy);
      // The no-object column (last, DETR only) is outside 0..nc-1, so it is never picked.
      pickClasses(
        nc,
        (k) => probs[i * c + k]!,
        this.resolved.scoreThreshold,
        rt,
        (classId, score) => out.add(xyxy[0]!, xyxy[1]!, xyxy[2]!, xyxy[3]!, score, classId),
      );
    }
    return finishDetections(out, this.resolved, context, false);
  }
}
