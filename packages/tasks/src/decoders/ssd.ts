/**
 * Decoder of foreign SSD-style detector outputs: either raw box deltas against anchors (given,
 * or generated from the common SSD anchor recipe) or boxes already decoded by the model, with
 * per-class scores (softmax or sigmoid, with or without a background column).
 * @module
 */
import {
  type DecodeContext,
  DecodeError,
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
  checkActivation,
  checkBoxFormat,
  checkRank,
  type DetectionDecodeOptions,
  floats,
  type ResolvedDetectionOptions,
  requireOutput,
  resolveDetectionOptions,
  type ScoreActivation,
  writeXyxy,
} from './common.js';
import { generateSsdAnchors, type SsdAnchorSpec } from './ssd-anchors.js';

/** Options of {@link SsdDecoder}. Serialisable. */
export interface SsdDecoderOptions extends DetectionDecodeOptions {
  /**
   * `deltas`: the box output holds offsets from anchors (SSD's box coder); `boxes`: the model
   * decoded them itself. Default `deltas`.
   */
  readonly encoding?: 'deltas' | 'boxes';
  /** Box output, `[1, N, 4]` or `[1, N, 1, 4]` (default `boxes`). */
  readonly boxesName?: string;
  /** Score output, `[1, N, C]`, or `[1, N]` with `classesName` (default `scores`). */
  readonly scoresName?: string;
  /** With `[1, N]` scores: the output holding each box's class id, `[1, N]`. */
  readonly classesName?: string;
  /** `deltas`: anchors as flat numbers, 4 per box, in `anchorFormat`. */
  readonly anchors?: readonly number[];
  /** Order of the numbers of `anchors` (default `cxcywh`). */
  readonly anchorFormat?: BoxFormat;
  /** `deltas`: generate the anchors from this recipe instead (at the model's input size). */
  readonly anchorSpec?: SsdAnchorSpec;
  /**
   * `deltas`: centre and size variances (default `[0.1, 0.2]`; torchvision's box-coder weights
   * `(10, 10, 5, 5)` are their inverses).
   */
  readonly variances?: readonly [number, number];
  /** `deltas`: order of the offsets, `xy` (`dx, dy, dw, dh`, default) or `yx` (TensorFlow's `dy, dx, dh, dw`). */
  readonly deltaOrder?: 'xy' | 'yx';
  /** `boxes`: order of the box numbers (default `xyxy`). */
  readonly boxFormat?: BoxFormat;
  /**
   * Whether anchors (`deltas`) or boxes (`boxes`) are fractions of the input size (default
   * true) or model-input pixels.
   */
  readonly normalized?: boolean;
  /** Score activation (default `softmax` for `deltas`, `none` for `boxes`). */
  readonly scoreActivation?: ScoreActivation;
  /** Score column of the background class, never reported (default 0 with softmax, none otherwise). */
  readonly backgroundClass?: number | null;
  /** Added to the score column to give the class id (default 0: ids are columns). */
  readonly classIdOffset?: number;
  /** Run NMS (default true; false for outputs the model already suppressed). */
  readonly applyNms?: boolean;
}

/** Largest size log-offset after the variance, as torchvision (`log(1000 / 16)`). */
const MAX_LOG_SIZE = Math.log(1000 / 16);

/**
 * Decodes SSD-style outputs. Multi-label by default (every class above the threshold is a
 * candidate, as torchvision's and TensorFlow's SSD post-processing do), then per-class NMS.
 */
export class SsdDecoder implements Decoder<Detection[]> {
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[];
  readonly options: SsdDecoderOptions;
  private readonly resolved: ResolvedDetectionOptions;
  private readonly encoding: 'deltas' | 'boxes';
  private readonly activation: ScoreActivation;
  private readonly background: number;
  private anchorCache?: { key: string; anchors: Float32Array };

  constructor(options: SsdDecoderOptions = {}) {
    this.options = { ...options };
    this.resolved = resolveDetectionOptions(options, { multiLabel: true, maxDetections: 200 });
    this.encoding = options.encoding ?? 'deltas';
    if (this.encoding !== 'deltas' && this.encoding !== 'boxes')
      throw new InvalidArgumentError(`encoding must be 'deltas' or 'boxes', got '${String(this.encoding)}'`);
    this.activation = checkActivation(
      'scoreActivation',
      options.scoreActivation ?? (this.encoding === 'deltas' ? 'softmax' : 'none'),
    );
    const bg =
      options.backgroundClass === undefined
        ? this.activation === 'softmax'
          ? 0
          : null
        : options.backgroundClass;
    if (bg !== null && !(Number.isInteger(bg) && bg >= 0))
      throw new InvalidArgumentError(`backgroundClass must be a non-negative integer or null, got ${bg}`);
    this.background = bg ?? -1;
    checkBoxFormat('anchorFormat', options.anchorFormat ?? 'cxcywh');
    checkBoxFormat('boxFormat', options.boxFormat ?? 'xyxy');
    if (this.encoding === 'deltas') {
      if (!options.anchors === !options.anchorSpec)
        throw new InvalidArgumentError("encoding 'deltas' needs exactly one of anchors and anchorSpec");
      if (options.anchors && options.anchors.length % 4 !== 0)
        throw new InvalidArgumentError(`anchors has ${options.anchors.length} numbers, not 4 per anchor`);
    }
    const v = options.variances ?? [0.1, 0.2];
    if (v.length !== 2 || !v.every((x) => x > 0))
      throw new InvalidArgumentError(`variances must be two positive numbers, got [${v.join(', ')}]`);
    if (options.deltaOrder !== undefined && options.deltaOrder !== 'xy' && options.deltaOrder !== 'yx')
      throw new InvalidArgumentError(`deltaOrder must be 'xy' or 'yx', got '${String(options.deltaOrder)}'`);
    if (!Number.isInteger(options.classIdOffset ?? 0))
      throw new InvalidArgumentError(`classIdOffset must be an integer, got ${options.classIdOffset}`);
    const names = [options.boxesName ?? 'boxes', options.scoresName ?? 'scores'];
    if (options.classesName) names.push(options.classesName);
    this.outputNames = names;
  }

  /** The anchors in normalised or pixel `cx, cy, w, h` (as `normalized` says) for an input size. */
  anchorsFor(input: { width: number; height: number }): Float32Array {
    const key = `${input.width}x${input.height}`;
    if (this.anchorCache?.key === key) return this.anchorCache.anchors;
    let anchors: Float32Array;
    if (this.options.anchorSpec) {
      anchors = generateSsdAnchors(this.options.anchorSpec, input);
      if (this.options.normalized === false) scaleBoxes(anchors, input.width, input.height);
    } else {
      const given = this.options.anchors!;
      anchors = new Float32Array(given.length);
      const f = this.options.anchorFormat ?? 'cxcywh';
      for (let i = 0; i < given.length; i += 4) {
        writeXyxy(anchors, i, f, given[i]!, given[i + 1]!, given[i + 2]!, given[i + 3]!);
        const [x1, y1, x2, y2] = [anchors[i]!, anchors[i + 1]!, anchors[i + 2]!, anchors[i + 3]!];
        anchors.set([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], i);
      }
    }
    this.anchorCache = { key, anchors };
    return anchors;
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = 'ssd decoder';
    const [boxesName, scoresName, classesName] = this.outputNames as [string, string, string?];
    const boxesT = requireOutput(raw, boxesName, d, '[1, N, 4]');
    if (!(boxesT.rank === 3 || (boxesT.rank === 4 && boxesT.dims[2] === 1)) || boxesT.dims.at(-1) !== 4)
      badShape(d, boxesName, boxesT, '[1, N, 4] or [1, N, 1, 4]');
    if (boxesT.dims[0] === 0) badShape(d, boxesName, boxesT, '[1, N, 4]', 'empty batch');
    const n = boxesT.dims[1]!;
    const { input } = context.transform;
    const { width: iw, height: ih } = input;
    if (this.encoding === 'deltas') {
      const anchors = this.anchorsFor(input);
      if (anchors.length !== n * 4)
        badShape(
          d,
          boxesName,
          boxesT,
          `[1, ${anchors.length / 4}, 4]`,
          `one delta per anchor; there are ${anchors.length / 4} anchors`,
        );
    }

    // Scores: [1, N, C], or [1, N] plus class ids.
    const scoresT = requireOutput(raw, scoresName, d, classesName ? `[1, ${n}]` : `[1, ${n}, C]`);
    let nc: number;
    let scores: Float32Array;
    let classIds: Float32Array | undefined;
    if (classesName) {
      checkRank(d, scoresName, scoresT, 2, `[1, ${n}]`);
      if (scoresT.dims[1] !== n)
        badShape(d, scoresName, scoresT, `[1, ${n}]`, `the box output has ${n} boxes`);
      const classesT = raw[classesName];
      if (!classesT)
        throw new DecodeError(`${d}: output '${classesName}' [1, ${n}] is missing`, { output: classesName });
      if (classesT.rank !== 2 || classesT.dims[1] !== n) badShape(d, classesName, classesT, `[1, ${n}]`);
      classIds = classesT.toFloat32().subarray(0, n);
      scores = floats(scoresT).slice(0, n);
      nc = 1;
      if (this.activation === 'sigmoid') activateRows(scores, n, 1, 'sigmoid');
      else if (this.activation === 'softmax')
        throw new InvalidArgumentError(
          "scoreActivation 'softmax' needs [1, N, C] scores, not one score per box",
        );
    } else {
      checkRank(d, scoresName, scoresT, 3, `[1, ${n}, C]`);
      if (scoresT.dims[1] !== n)
        badShape(d, scoresName, scoresT, `[1, ${n}, C]`, `the box output has ${n} boxes`);
      nc = scoresT.dims[2]!;
      if (nc === 0 || (nc === 1 && this.background === 0))
        badShape(d, scoresName, scoresT, `[1, ${n}, C]`, 'no classes');
      scores = floats(scoresT).slice(0, n * nc);
      activateRows(scores, n, nc, this.activation);
    }
    const raw4 = floats(boxesT);

    // Boxes as xyxy model-input pixels.
    const boxes = new Float32Array(n * 4);
    if (this.encoding === 'boxes') {
      const f = this.options.boxFormat ?? 'xyxy';
      const [sx, sy] = this.options.normalized === false ? [1, 1] : [iw, ih];
      for (let i = 0; i < n; i++)
        writeXyxy(
          boxes,
          i * 4,
          f,
          raw4[i * 4]!,
          raw4[i * 4 + 1]!,
          raw4[i * 4 + 2]!,
          raw4[i * 4 + 3]!,
          sx,
          sy,
        );
    } else {
      const anchors = this.anchorsFor(input);
      this.decodeDeltas(raw4, anchors, n, boxes, iw, ih);
    }

    const offset = this.options.classIdOffset ?? 0;
    const out = new Candidates();
    const { scoreThreshold, multiLabel } = this.resolved;
    for (let i = 0; i < n; i++) {
      if (classIds && classIds[i] === this.background) continue;
      const emit = (column: number, score: number) => {
        const classId = (classIds ? classIds[i]! : column) + offset;
        out.add(boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!, score, classId);
      };
      pickClasses(
        nc,
        (k) => scores[i * nc + k]!,
        scoreThreshold,
        multiLabel,
        emit,
        classIds ? -1 : this.background,
      );
    }
    return finishDetections(out, this.resolved, context, this.options.applyNms ?? true);
  }

  /** SSD's box coder: centre moves by `delta × variance × anchor size`, size scales by `exp(delta × variance)`. */
  private decodeDeltas(
    raw: Float32Array,
    anchors: Float32Array,
    n: number,
    out: Float32Array,
    iw: number,
    ih: number,
  ) {
    const [vc, vs] = this.options.variances ?? [0.1, 0.2];
    const yx = this.options.deltaOrder === 'yx';
    const [sx, sy] = this.options.normalized === false ? [1, 1] : [iw, ih];
    for (let i = 0; i < n; i++) {
      const o = i * 4;
      const [dx, dy, dw, dh] = yx
        ? [raw[o + 1]!, raw[o]!, raw[o + 3]!, raw[o + 2]!]
        : [raw[o]!, raw[o + 1]!, raw[o + 2]!, raw[o + 3]!];
      const [acx, acy, aw, ah] = [anchors[o]!, anchors[o + 1]!, anchors[o + 2]!, anchors[o + 3]!];
      const cx = acx + dx * vc * aw;
      const cy = acy + dy * vc * ah;
      const w = aw * Math.exp(Math.min(dw * vs, MAX_LOG_SIZE));
      const h = ah * Math.exp(Math.min(dh * vs, MAX_LOG_SIZE));
      writeXyxy(out, o, 'cxcywh', cx, cy, w, h, sx, sy);
    }
  }
}

/** Multiplies x and widths by `w`, y and heights by `h` (cxcywh in place). */
function scaleBoxes(b: Float32Array, w: number, h: number): void {
  for (let i = 0; i < b.length; i += 4) {
    b[i] = b[i]! * w;
    b[i + 1] = b[i + 1]! * h;
    b[i + 2] = b[i + 2]! * w;
    b[i + 3] = b[i + 3]! * h;
  }
}
