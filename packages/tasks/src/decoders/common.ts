/**
 * Pieces every detection decoder shares: reading and checking raw outputs, NMS settings, box
 * formats and score activations.
 * @module
 */
import { DecodeError, InvalidArgumentError, type Tensor } from '@ocular/core';

/** NMS and filtering settings of the detection decoders. */
export interface DetectionDecodeOptions {
  /** Candidates scoring at or below this are dropped (default per decoder, 0.25 for YOLO). */
  readonly scoreThreshold?: number;
  /** Boxes overlapping a kept box of the same class by more than this IoU are dropped (default 0.45). */
  readonly iouThreshold?: number;
  /** Keep at most this many detections, best first (default 300). */
  readonly maxDetections?: number;
  /** Suppress across classes too (default false: per class). */
  readonly classAgnostic?: boolean;
  /**
   * Every class above the threshold is a candidate of its own (default false: only a box's best
   * class).
   */
  readonly multiLabel?: boolean;
  /** Most candidates passed to NMS, highest scores first (default 30000), to bound its cost. */
  readonly maxCandidates?: number;
}

/** {@link DetectionDecodeOptions} with every default filled in. */
export type ResolvedDetectionOptions = Required<DetectionDecodeOptions>;

/** Fills in defaults and checks ranges; throws `InvalidArgumentError` naming the bad setting. */
export function resolveDetectionOptions(
  o: DetectionDecodeOptions,
  defaults: Partial<ResolvedDetectionOptions> = {},
): ResolvedDetectionOptions {
  const r: ResolvedDetectionOptions = {
    scoreThreshold: o.scoreThreshold ?? defaults.scoreThreshold ?? 0.25,
    iouThreshold: o.iouThreshold ?? defaults.iouThreshold ?? 0.45,
    maxDetections: o.maxDetections ?? defaults.maxDetections ?? 300,
    classAgnostic: o.classAgnostic ?? defaults.classAgnostic ?? false,
    multiLabel: o.multiLabel ?? defaults.multiLabel ?? false,
    maxCandidates: o.maxCandidates ?? defaults.maxCandidates ?? 30000,
  };
  if (!Number.isFinite(r.scoreThreshold))
    throw new InvalidArgumentError(`scoreThreshold must be a finite number, got ${r.scoreThreshold}`);
  if (!(r.iouThreshold >= 0 && r.iouThreshold <= 1))
    throw new InvalidArgumentError(`iouThreshold must be in [0, 1], got ${r.iouThreshold}`);
  for (const k of ['maxDetections', 'maxCandidates'] as const) {
    if (!(Number.isInteger(r[k]) && r[k] >= 0))
      throw new InvalidArgumentError(`${k} must be a non-negative integer, got ${r[k]}`);
  }
  return r;
}

/** Checks an optional positive integer setting (`numClasses`). */
export function checkCount(name: string, v: number | undefined, min = 1): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min))
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got ${v}`);
}

/**
 * The output `name` of `raw`, checked to be a float tensor; throws `DecodeError` naming the
 * decoder, the output and the shape it should have (`expected`).
 */
export function requireOutput(
  raw: Readonly<Record<string, Tensor>>,
  name: string,
  decoder: string,
  expected: string,
): Tensor {
  const t = raw[name];
  if (!t) {
    throw new DecodeError(
      `${decoder}: output '${name}' ${expected} is missing; the model produced [${Object.keys(raw).join(', ')}]`,
      { output: name, expected },
    );
  }
  if (!t.dtype.startsWith('float') && t.dtype !== 'bfloat16') {
    throw new DecodeError(`${decoder}: output '${name}' ${expected} must be floating point, got ${t.dtype}`, {
      output: name,
      expected,
    });
  }
  return t;
}

/** Throws `DecodeError` with the output's actual and expected shapes. */
export function badShape(decoder: string, name: string, t: Tensor, expected: string, why = ''): never {
  throw new DecodeError(
    `${decoder}: output '${name}' has shape [${t.dims.join(', ')}], expected ${expected}${why ? ` (${why})` : ''}`,
    { output: name, dims: [...t.dims], expected },
  );
}

/** Checks the rank and a non-empty batch; returns the dims. */
export function checkRank(
  decoder: string,
  name: string,
  t: Tensor,
  rank: number,
  expected: string,
): readonly number[] {
  if (t.rank !== rank) badShape(decoder, name, t, expected, `rank ${t.rank} instead of ${rank}`);
  if (t.dims[0] === 0) badShape(decoder, name, t, expected, 'empty batch');
  return t.dims;
}

/** The values of a float tensor as float32 (no copy when already float32). */
export function floats(t: Tensor): Float32Array {
  return t.dtype === 'float32' ? (t.data as Float32Array) : t.toFloat32();
}

/**
 * How four box numbers are ordered: corners (`xyxy`, TensorFlow's `yxyx`) or centre and size
 * (`cxcywh`, TensorFlow's `cycxhw`).
 */
export type BoxFormat = 'xyxy' | 'yxyx' | 'cxcywh' | 'cycxhw';

/** The box formats decoders accept. */
export const BOX_FORMATS: readonly BoxFormat[] = ['xyxy', 'yxyx', 'cxcywh', 'cycxhw'];

/** Checks a box format setting. */
export function checkBoxFormat(name: string, f: string): BoxFormat {
  if (!(BOX_FORMATS as readonly string[]).includes(f))
    throw new InvalidArgumentError(`${name} must be one of ${BOX_FORMATS.join(', ')}, got '${f}'`);
  return f as BoxFormat;
}

/**
 * Writes box `(a, b, c, d)` of format `format` as `x1, y1, x2, y2` into `out` at `o`, scaling x
 * by `sx` and y by `sy` (normalised to pixels).
 */
export function writeXyxy(
  out: Float32Array | number[],
  o: number,
  format: BoxFormat,
  a: number,
  b: number,
  c: number,
  d: number,
  sx = 1,
  sy = 1,
): void {
  let x1: number;
  let y1: number;
  let x2: number;
  let y2: number;
  switch (format) {
    case 'xyxy':
      [x1, y1, x2, y2] = [a, b, c, d];
      break;
    case 'yxyx':
      [y1, x1, y2, x2] = [a, b, c, d];
      break;
    case 'cxcywh':
      [x1, y1, x2, y2] = [a - c / 2, b - d / 2, a + c / 2, b + d / 2];
      break;
    case 'cycxhw':
      [x1, y1, x2, y2] = [b - d / 2, a - c / 2, b + d / 2, a + c / 2];
      break;
  }
  out[o] = x1 * sx;
  out[o + 1] = y1 * sy;
  out[o + 2] = x2 * sx;
  out[o + 3] = y2 * sy;
}

/** How raw class scores become probabilities. */
export type ScoreActivation = 'none' | 'sigmoid' | 'softmax';

/** Checks a score activation setting. */
export function checkActivation(name: string, a: string): ScoreActivation {
  if (a !== 'none' && a !== 'sigmoid' && a !== 'softmax')
    throw new InvalidArgumentError(`${name} must be 'none', 'sigmoid' or 'softmax', got '${a}'`);
  return a;
}

/** Logistic sigmoid. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Applies `activation` in place to `n` rows of `c` contiguous scores starting at 0. */
export function activateRows(scores: Float32Array, n: number, c: number, activation: ScoreActivation): void {
  if (activation === 'sigmoid') {
    for (let i = 0; i < n * c; i++) scores[i] = sigmoid(scores[i]!);
  } else if (activation === 'softmax') {
    for (let r = 0; r < n; r++) {
      const o = r * c;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < c; k++) max = Math.max(max, scores[o + k]!);
      let sum = 0;
      for (let k = 0; k < c; k++) {
        const e = Math.exp(scores[o + k]! - max);
        scores[o + k] = e;
        sum += e;
      }
      for (let k = 0; k < c; k++) scores[o + k] = scores[o + k]! / sum;
    }
  }
}
