/**
 * Sliding-window arithmetic shared by the conv and pool op schemas and by the kernels that run
 * them: reading kernel / stride / dilation / pad attributes, resolving `auto_pad`, and output
 * sizes. Kernels call the same functions, so the padding a kernel applies is the padding shape
 * inference assumed.
 * @module
 */
import { AttributeError, ShapeError } from '../errors.js';
import type { Attributes, AttrValue, Dim } from '../ir/graph.js';

/** ONNX `auto_pad` values. */
export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

/** Reads and validates the `auto_pad` attribute (default `NOTSET`). */
export function readAutoPad(attrs: Attributes): AutoPad {
  const v = attrs.auto_pad ?? 'NOTSET';
  if (typeof v !== 'string' || !(AUTO_PADS as readonly string[]).includes(v)) {
    throw new AttributeError(`auto_pad must be one of ${AUTO_PADS.join('/')}, got ${JSON.stringify(v)}`);
  }
  return v as AutoPad;
}

/** Reads an `ints` attribute that must be a plain number array, or undefined. */
function intsAttr(v: AttrValue | undefined, name: string): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new AttributeError(`${name} must be a list of integers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/**
 * Reads a per-spatial-dim `ints` attribute (`strides`, `dilations`, `kernel_shape`,
 * `output_padding`): checks its length is `n` and every entry is >= `min`. Missing → `fill`.
 */
export function spatialInts(attrs: Attributes, name: string, n: number, fill: number, min = 1): number[] {
  const v = intsAttr(attrs[name], name);
  if (v === undefined) return new Array<number>(n).fill(fill);
  if (v.length !== n) {
    throw new AttributeError(`${name} has ${v.length} values, expected ${n} (one per spatial dim)`);
  }
  for (const x of v) {
    if (x < min) throw new AttributeError(`${name} values must be >= ${min}, got [${v.join(', ')}]`);
  }
  return [...v];
}

/** Reads `pads` (`[x1_begin, x2_begin, ..., x1_end, x2_end, ...]`, default zeros); checks length and sign. */
export function readPads(attrs: Attributes, n: number, name = 'pads'): number[] {
  const v = intsAttr(attrs[name], name);
  if (v === undefined) return new Array<number>(2 * n).fill(0);
  if (v.length !== 2 * n) {
    throw new AttributeError(
      `${name} has ${v.length} values, expected ${2 * n} (begin and end per spatial dim)`,
    );
  }
  for (const x of v) {
    if (x < 0) throw new AttributeError(`${name} must be non-negative, got [${v.join(', ')}]`);
  }
  return [...v];
}

/** The window geometry of an op, per spatial dim, with padding resolved. */
export interface ResolvedWindow {
  /** Output spatial dims (symbolic where the input dim is symbolic). */
  readonly outShape: Dim[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Padding before each spatial dim (0 for a symbolic dim under SAME_*: unknown until run time). */
  readonly padBegin: readonly number[];
  /** Padding after each spatial dim, as declared (ceil_mode may read a little past it). */
  readonly padEnd: readonly number[];
}

/** Options of {@link resolveWindow}. */
export interface WindowOptions {
  /** Pooling's ceil_mode: round the output size up (the last window must start inside the input or left pad). */
  readonly ceilMode?: boolean;
  /** Read `dilations` (pools before opset 10 and GlobalPool have none). Default true. */
  readonly dilations?: boolean;
}

/**
 * Resolves the window of a Conv / pool-like op from its attributes. `kernel` is the kernel size
 * per spatial dim (from `kernel_shape` or the weight). Throws ShapeError when an input dim is
 * smaller than the (padded) dilated kernel.
 */
export function resolveWindow(
  attrs: Attributes,
  inSpatial: readonly Dim[],
  kernel: readonly number[],
  options: WindowOptions = {},
): ResolvedWindow {
  const n = inSpatial.length;
  const autoPad = readAutoPad(attrs);
  const strides = spatialInts(attrs, 'strides', n, 1);
  const dilations =
    options.dilations === false ? new Array<number>(n).fill(1) : spatialInts(attrs, 'dilations', n, 1);
  const pads = autoPad === 'NOTSET' ? readPads(attrs, n) : new Array<number>(2 * n).fill(0);
  const outShape: Dim[] = [];
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = inSpatial[i]!;
    const s = strides[i]!;
    const dk = (kernel[i]! - 1) * dilations[i]! + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      if (typeof d === 'string') {
        outShape.push(s === 1 ? d : `ceil(${d}/${s})`);
        padBegin.push(0);
        padEnd.push(0);
        continue;
      }
      const out = Math.ceil(d / s);
      const total = Math.max(0, (out - 1) * s + dk - d);
      const small = Math.floor(total / 2);
      const begin = autoPad === 'SAME_UPPER' ? small : total - small;
      outShape.push(out);
      padBegin.push(begin);
      padEnd.push(total - begin);
      continue;
    }
    const pb = pads[i]!;
    const pe = pads[i + n]!;
    padBegin.push(pb);
    padEnd.push(pe);
    if (typeof d === 'string') {
      outShape.push(symbolicWindowDim(d, pb + pe - dk, s, options.ceilMode === true));
      continue;
    }
    const span = d + pb + pe - dk;
    if (span < 0) {
      throw new ShapeError(
        `spatial dim ${i} of size ${d} (padded ${d + pb + pe}) is smaller than the dilated kernel ${dk}`,
      );
    }
    let out = options.ceilMode ? Math.ceil(span / s) + 1 : Math.floor(span / s) + 1;
    // ceil_mode: a window that would start in the right padding is dropped (PyTorch and ONNX agree).
    if (options.ceilMode && (out - 1) * s >= d + pb) out--;
    outShape.push(out);
  }
  return { outShape, kernel: [...kernel], strides, dilations, padBegin, padEnd };
}

/** Output size expression of a sliding window over a symbolic dim `d` with offset `pb + pe - dk`. */
function symbolicWindowDim(d: string, offset: number, s: number, ceil: boolean): string {
  const sign = (v: number) => (v === 0 ? '' : v > 0 ? `+${v}` : `${v}`);
  if (s === 1) return offset + 1 === 0 ? d : `${d}${sign(offset + 1)}`;
  return `${ceil ? 'ceil' : 'floor'}((${d}${sign(offset)})/${s})+1`;
}

/** The window of a ConvTranspose: output sizes and the padding cropped from the full result. */
export interface ResolvedTransposeWindow extends ResolvedWindow {
  readonly outputPadding: readonly number[];
}

/**
 * Resolves ConvTranspose's output size and padding. With `output_shape` set, the total padding
 * is derived from it (split as the ONNX spec says: SAME_UPPER puts the smaller half first, every
 * other mode the larger half first); a negative total means the output is larger than the full
 * result and the tail is left at zero (plus bias). With SAME_*, the output is `input * stride`.
 */
export function resolveTransposeWindow(
  attrs: Attributes,
  inSpatial: readonly Dim[],
  kernel: readonly number[],
): ResolvedTransposeWindow {
  const n = inSpatial.length;
  const autoPad = readAutoPad(attrs);
  const strides = spatialInts(attrs, 'strides', n, 1);
  const dilations = spatialInts(attrs, 'dilations', n, 1);
  const outputPadding = spatialInts(attrs, 'output_padding', n, 0, 0);
  for (let i = 0; i < n; i++) {
    if (outputPadding[i]! >= Math.max(strides[i]!, dilations[i]!)) {
      throw new AttributeError(
        `output_padding [${outputPadding.join(', ')}] must be smaller than the stride or dilation of each dim`,
      );
    }
  }
  let outputShape = intsAttr(attrs.output_shape, 'output_shape');
  if (outputShape) {
    // Some exporters write the full [N, C, ...] shape; only the spatial part matters.
    if (outputShape.length === n + 2) outputShape = outputShape.slice(2);
    if (outputShape.length !== n) {
      throw new AttributeError(`output_shape has ${outputShape.length} values, expected ${n} spatial sizes`);
    }
    if (outputShape.some((v) => v < 1)) {
      throw new AttributeError(`output_shape must be positive, got [${outputShape.join(', ')}]`);
    }
  }
  const pads = autoPad === 'NOTSET' && !outputShape ? readPads(attrs, n) : new Array<number>(2 * n).fill(0);
  const outShape: Dim[] = [];
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = inSpatial[i]!;
    const s = strides[i]!;
    const dk = (kernel[i]! - 1) * dilations[i]! + 1;
    const op = outputPadding[i]!;
    const same = autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER';
    if (outputShape || same) {
      const target = outputShape
        ? outputShape[i]!
        : typeof d === 'number'
          ? d * s
          : s === 1
            ? d
            : `${d}*${s}`;
      if (typeof d === 'string' || typeof target === 'string') {
        // Symbolic input: the size is known, the padding only at run time.
        outShape.push(target);
        padBegin.push(0);
        padEnd.push(0);
        continue;
      }
      const total = Math.max(0, s * (d - 1) + op + dk - target);
      const small = Math.floor(total / 2);
      const begin = autoPad === 'SAME_UPPER' ? small : total - small;
      outShape.push(target);
      padBegin.push(begin);
      padEnd.push(total - begin);
      continue;
    }
    const pb = pads[i]!;
    const pe = pads[i + n]!;
    padBegin.push(pb);
    padEnd.push(pe);
    const extra = op + dk - pb - pe - s;
    if (typeof d === 'string') {
      const sign = extra === 0 ? '' : extra > 0 ? `+${extra}` : `${extra}`;
      outShape.push(s === 1 && extra === 0 ? d : `${s === 1 ? d : `${s}*${d}`}${sign}`);
      continue;
    }
    const out = s * (d - 1) + op + dk - pb - pe;
    if (out < 1) {
      throw new ShapeError(
        `spatial dim ${i}: pads [${pb}, ${pe}] leave no output (full size ${out + pb + pe})`,
      );
    }
    outShape.push(out);
  }
  return { outShape, kernel: [...kernel], strides, dilations, padBegin, padEnd, outputPadding };
}
