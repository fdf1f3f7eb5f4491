/**
 * Resampling op schemas: Resize (opset 19: every mode, coordinate transform, antialias, axes and
 * keep_aspect_ratio_policy) and GridSample (opset 20: linear / nearest / cubic, N-D).
 * @module
 */
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { Attributes, Dim } from '../ir/graph.js';
import { formatShape } from '../ir/graph.js';
import type { InferContext, OpSchema } from '../ir/schema.js';
import type { Tensor } from '../tensor.js';
import { FLOAT_TYPES, input, NUMERIC_TYPES, normalizeAxis, requireDType } from './util.js';

/** Resize's `mode` values. */
export const RESIZE_MODES = ['nearest', 'linear', 'cubic'] as const;
/** Resize's `coordinate_transformation_mode` values. */
export const RESIZE_COORDINATE_MODES = [
  'half_pixel',
  'half_pixel_symmetric',
  'pytorch_half_pixel',
  'align_corners',
  'asymmetric',
  'tf_crop_and_resize',
] as const;
/** Resize's `nearest_mode` values. */
export const RESIZE_NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;
/** Resize's `keep_aspect_ratio_policy` values. */
export const RESIZE_ASPECT_POLICIES = ['stretch', 'not_larger', 'not_smaller'] as const;

function oneOf<T extends string>(attrs: Attributes, name: string, allowed: readonly T[]): T {
  const v = attrs[name];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new AttributeError(`${name} must be one of ${allowed.join('/')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Everything a Resize kernel needs, resolved once from the node's constants and attributes. */
export interface ResizePlan {
  readonly mode: (typeof RESIZE_MODES)[number];
  readonly coordinateMode: (typeof RESIZE_COORDINATE_MODES)[number];
  readonly nearestMode: (typeof RESIZE_NEAREST_MODES)[number];
  /** Output shape (symbolic only where an input dim is symbolic). */
  readonly outShape: Dim[];
  /** Scale factor per dim (full rank; 1 for dims not in `axes`); NaN where a symbolic dim hides it. */
  readonly scales: number[];
  /** The dims that are resized (the `axes` attribute, normalised, or every dim). */
  readonly axes: number[];
  /** `[start_0..start_{r-1}, end_0..end_{r-1}]` over all dims, or undefined when roi is not given. */
  readonly roi?: number[];
}

/** Values of an optional input, treating an empty tensor as omitted (as older exporters write it). */
function optionalValues(t: Tensor | undefined): number[] | undefined {
  if (!t || t.size === 0) return undefined;
  return t.toNumbers();
}

/**
 * Resolves Resize's output shape and per-dim scales. `roi`, `scales` and `sizes` are the constant
 * input tensors (omitted or empty = not given). Exactly one of `scales` / `sizes` must be given.
 */
export function resolveResize(
  inShape: readonly Dim[],
  attrs: Attributes,
  roiT: Tensor | undefined,
  scalesT: Tensor | undefined,
  sizesT: Tensor | undefined,
): ResizePlan {
  const r = inShape.length;
  const mode = oneOf(attrs, 'mode', RESIZE_MODES);
  const coordinateMode = oneOf(attrs, 'coordinate_transformation_mode', RESIZE_COORDINATE_MODES);
  const nearestMode = oneOf(attrs, 'nearest_mode', RESIZE_NEAREST_MODES);
  const policy = oneOf(attrs, 'keep_aspect_ratio_policy', RESIZE_ASPECT_POLICIES);
  if (attrs.antialias !== 0 && attrs.antialias !== 1) {
    throw new AttributeError(`antialias must be 0 or 1, got ${JSON.stringify(attrs.antialias)}`);
  }
  if (attrs.antialias === 1 && mode === 'nearest') {
    throw new AttributeError(`antialias applies to linear and cubic modes, not nearest`);
  }
  const axesAttr = attrs.axes as readonly number[] | undefined;
  const axes = axesAttr ? axesAttr.map((a) => normalizeAxis(a, r, 'axes entry')) : [...Array(r).keys()];
  if (new Set(axes).size !== axes.length)
    throw new AttributeError(`axes [${axesAttr!.join(', ')}] has duplicates`);
  const k = axes.length;
  const scalesIn = optionalValues(scalesT);
  const sizesIn = optionalValues(sizesT);
  if (scalesIn && sizesIn) throw new ShapeError('only one of scales and sizes may be given');
  if (!scalesIn && !sizesIn) throw new ShapeError('one of scales and sizes must be given');
  const scales = new Array<number>(r).fill(1);
  const outShape: Dim[] = [...inShape];
  if (scalesIn) {
    if (scalesIn.length !== k)
      throw new ShapeError(`scales has ${scalesIn.length} values, expected ${k} (one per resized dim)`);
    // keep_aspect_ratio_policy only describes how to read `sizes`; with scales it has no effect.
    axes.forEach((a, i) => {
      const s = scalesIn[i]!;
      if (!(s > 0) || !Number.isFinite(s))
        throw new ShapeError(`scales must be positive, got [${scalesIn.join(', ')}]`);
      scales[a] = s;
      const d = inShape[a]!;
      outShape[a] = typeof d === 'number' ? Math.floor(s * d) : s === 1 ? d : `floor(${d}*${s})`;
    });
  } else {
    const sizes = sizesIn!;
    if (sizes.length !== k)
      throw new ShapeError(`sizes has ${sizes.length} values, expected ${k} (one per resized dim)`);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ShapeError(`sizes must be non-negative integers, got [${sizes.join(', ')}]`);
    }
    if (policy === 'stretch') {
      axes.forEach((a, i) => {
        const d = inShape[a]!;
        scales[a] = typeof d === 'number' ? sizes[i]! / d : Number.NaN;
        outShape[a] = sizes[i]!;
      });
    } else {
      const ratios = axes.map((a, i) => {
        const d = inShape[a]!;
        if (typeof d !== 'number') {
          throw new ShapeError(
            `keep_aspect_ratio_policy '${policy}' needs static resized dims, dim ${a} is '${d}'`,
          );
        }
        return sizes[i]! / d;
      });
      const s = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      for (const a of axes) {
        scales[a] = s;
        outShape[a] = Math.floor(s * (inShape[a] as number) + 0.5);
      }
    }
  }
  let roi: number[] | undefined;
  const roiIn = optionalValues(roiT);
  if (roiIn) {
    if (roiIn.length !== 2 * k)
      throw new ShapeError(
        `roi has ${roiIn.length} values, expected ${2 * k} (start and end per resized dim)`,
      );
    roi = [...new Array<number>(r).fill(0), ...new Array<number>(r).fill(1)];
    axes.forEach((a, i) => {
      roi![a] = roiIn[i]!;
      roi![a + r] = roiIn[i + k]!;
    });
  }
  if (coordinateMode === 'tf_crop_and_resize' && !roi) {
    throw new ShapeError(`coordinate_transformation_mode 'tf_crop_and_resize' needs the roi input`);
  }
  return { mode, coordinateMode, nearestMode, outShape, scales, axes, roi };
}

/** Value of an optional input known at trace time; a ShapeError when given but not constant. */
function constInput(ctx: InferContext, i: number, what: string): Tensor | undefined {
  const t = ctx.inputs[i];
  if (!t) return undefined;
  if (t.value) return t.value;
  // An empty tensor carries no information even when it is not a constant.
  if (t.shape.some((d) => d === 0)) return undefined;
  throw new ShapeError(`${what} (input ${i}) must be a constant known at trace time`);
}

const resize: OpSchema = {
  opType: 'Resize',
  since: 19,
  category: 'resize',
  minInputs: 1,
  maxInputs: 4,
  attrs: {
    antialias: { type: 'int', default: 0 },
    axes: { type: 'ints' },
    coordinate_transformation_mode: { type: 'string', default: 'half_pixel' },
    cubic_coeff_a: { type: 'float', default: -0.75 },
    exclude_outside: { type: 'int', default: 0 },
    extrapolation_value: { type: 'float', default: 0 },
    keep_aspect_ratio_policy: { type: 'string', default: 'stretch' },
    mode: { type: 'string', default: 'nearest' },
    nearest_mode: { type: 'string', default: 'round_prefer_floor' },
  },
  doc: 'Resamples X to a new size (scales or sizes): nearest, linear or cubic, with ONNX coordinate transforms.',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, NUMERIC_TYPES, 'Resize input X');
    const roi = ctx.inputs[1];
    if (roi) requireDType(roi.dtype, FLOAT_TYPES, 'Resize roi');
    const scales = ctx.inputs[2];
    if (scales) requireDType(scales.dtype, FLOAT_TYPES, 'Resize scales');
    const sizes = ctx.inputs[3];
    if (sizes && sizes.dtype !== 'int64')
      throw new DTypeError(`Resize sizes must be int64, got ${sizes.dtype}`);
    const plan = resolveResize(
      x.shape,
      ctx.attrs,
      constInput(ctx, 1, 'roi'),
      constInput(ctx, 2, 'scales'),
      constInput(ctx, 3, 'sizes'),
    );
    return [{ dtype: x.dtype, shape: plan.outShape }];
  },
};

/** GridSample's `mode` values (opset 20 names; opset 16's `bilinear` / `bicubic` are accepted as aliases). */
export const GRID_SAMPLE_MODES = ['linear', 'nearest', 'cubic', 'bilinear', 'bicubic'] as const;
/** GridSample's `padding_mode` values. */
export const GRID_SAMPLE_PADDING = ['zeros', 'border', 'reflection'] as const;

const gridSample: OpSchema = {
  opType: 'GridSample',
  since: 20,
  category: 'resize',
  minInputs: 2,
  maxInputs: 2,
  attrs: {
    align_corners: { type: 'int', default: 0 },
    mode: { type: 'string', default: 'linear' },
    padding_mode: { type: 'string', default: 'zeros' },
  },
  doc: 'Samples X at normalised grid positions ([-1, 1], x first); 2-D and volumetric 3-D.',
  infer(ctx) {
    const x = input(ctx, 0);
    const grid = input(ctx, 1);
    requireDType(x.dtype, NUMERIC_TYPES, 'GridSample input X');
    requireDType(grid.dtype, FLOAT_TYPES, 'GridSample grid');
    const mode = oneOf(ctx.attrs, 'mode', GRID_SAMPLE_MODES);
    oneOf(ctx.attrs, 'padding_mode', GRID_SAMPLE_PADDING);
    const n = x.shape.length - 2;
    if (n < 1)
      throw new ShapeError(`input X must have rank >= 3 ([N, C, spatial...]), got ${formatShape(x.shape)}`);
    if (grid.shape.length !== n + 2) {
      throw new ShapeError(
        `grid must have rank ${n + 2} ([N, out spatial..., ${n}]) for X ${formatShape(x.shape)}, got ${formatShape(grid.shape)}`,
      );
    }
    const last = grid.shape[n + 1]!;
    if (typeof last === 'number' && last !== n) {
      throw new ShapeError(`grid's last dim must be ${n} (one coordinate per spatial dim), got ${last}`);
    }
    const [nx, ng] = [x.shape[0]!, grid.shape[0]!];
    if (typeof nx === 'number' && typeof ng === 'number' && nx !== ng) {
      throw new ShapeError(`grid batch ${ng} does not match input batch ${nx}`);
    }
    if ((mode === 'cubic' || mode === 'bicubic') && n !== 2) {
      throw new AttributeError(`mode '${mode}' supports 2-D inputs only, got ${n} spatial dims`);
    }
    return [{ dtype: x.dtype, shape: [nx, x.shape[1]!, ...grid.shape.slice(1, n + 1)] }];
  },
};

/** Resampling ops. */
export const RESIZE_OPS: readonly OpSchema[] = [resize, gridSample];
