/**
 * Convolutions: Conv2D (dilations, SAME/VALID/EXPLICIT padding, grouped when the input has more
 * channels than the filter), DepthwiseConv2dNative, their fused forms (_FusedConv2D,
 * FusedDepthwiseConv2dNative: BiasAdd then an activation, as TF.js runs them) and
 * Conv2DBackpropInput. Filters are laid out for ONNX once, at import: HWIO → OIHW, depthwise
 * HW(C·M) → (C·M)1HW.
 * @module
 */
import { Tensor } from '@ocular/core';
import { attrBool, attrFloat, attrStrings } from '../attrs.js';
import { constantOf, int64, logicalShape, type Operand, plain, shapeOf, type Value } from '../builder.js';
import { type ConvertContext, type Converter, constInts, inputAt, nodeError } from '../context.js';
import { aligned } from './align.js';
import { activation } from './elementwise.js';
import { padsFor, spatialAttrs } from './spatial.js';

/** HWIO → OIHW. */
const HWIO_TO_OIHW = [3, 2, 0, 1];
/** HW C M → C M H W (then reshaped to (C·M) 1 H W). */
const HWCM_TO_CMHW = [2, 3, 0, 1];

function depthwiseWeight(ctx: ConvertContext, filter: Value): Operand {
  const [kh, kw, c, m] = logicalShape(filter) as number[];
  const cmhw = ctx.b.as(filter, HWCM_TO_CMHW, ctx.node.name);
  const dims = [c! * m!, 1, kh!, kw!];
  const k = constantOf(cmhw);
  return k
    ? new Tensor(k.dtype, k.data, dims)
    : ctx.b.emit1('Reshape', [cmhw, int64(dims)], {}, ctx.node.name);
}

/** The fused BiasAdd / activation of TF.js's fused conv and matmul kernels, applied to `y`. */
export function applyFused(
  ctx: ConvertContext,
  argsFrom: number,
): { bias?: Value; apply: (v: Value) => Value } {
  const ops = attrStrings(ctx.node, 'fused_ops').map((s) => s.toLowerCase());
  const [extra, act = 'linear'] = ops;
  const args = ctx.inputs.slice(argsFrom);
  if (extra === 'fusedbatchnorm')
    throw nodeError(ctx, 'fused_ops FusedBatchNorm is not supported (TF.js cannot run it either)');
  if (extra !== 'biasadd' && extra !== undefined)
    throw nodeError(ctx, `fused op '${extra}' is not supported`);
  const bias = extra === 'biasadd' ? args[0] : undefined;
  const alpha = extra === 'biasadd' ? args[1] : args[0];
  const leakyAlpha = attrFloat(ctx.node, 'leakyrelu_alpha', 0.2);
  return {
    bias,
    apply(v) {
      let alphaOp: Operand | undefined;
      let perm = v.perm;
      let x = v.t;
      if (act === 'prelu') {
        if (!alpha) throw nodeError(ctx, 'fused Prelu needs an alpha argument');
        const al = aligned(ctx, [v, alpha]);
        [x, alphaOp] = [al.ops[0]!, al.ops[1]];
        perm = al.perm;
      }
      const out = activation(ctx.b, act, x, ctx.node.name, { alpha: alphaOp, leakyAlpha });
      if (!out) throw nodeError(ctx, `fused activation '${act}' is not supported`);
      return { t: out, perm };
    },
  };
}

function convolution(depthwise: boolean, fused: boolean): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const filter = inputAt(ctx, 1);
    const sp = spatialAttrs(ctx);
    const xs = ctx.b.as(x, sp.perm, ctx.node.name);
    const [, cin, ih, iw] = shapeOf(xs);
    const [kh, kw, fin] = logicalShape(filter) as number[];
    const w = depthwise ? depthwiseWeight(ctx, filter) : ctx.b.as(filter, HWIO_TO_OIHW, ctx.node.name);
    let group = 1;
    if (depthwise) group = fin!;
    else if (typeof cin === 'number' && cin !== fin) {
      if (cin % fin! !== 0)
        throw nodeError(ctx, `input has ${cin} channels, not a multiple of the filter's ${fin}`);
      group = cin / fin!;
    }
    const kernel = [kh!, kw!];
    const fusedParts = fused ? applyFused(ctx, 2) : undefined;
    const bias = fusedParts?.bias ? ctx.b.logical(fusedParts.bias, ctx.node.name) : undefined;
    const y = ctx.b.emit1(
      'Conv',
      [xs, w, bias],
      {
        dilations: sp.dilations,
        group,
        kernel_shape: kernel,
        pads: padsFor(ctx, sp, [ih!, iw!], kernel),
        strides: sp.strides,
      },
      ctx.node.name,
    );
    const out: Value = { t: y, perm: sp.perm };
    return [fusedParts ? fusedParts.apply(out) : out];
  };
}

/** Conv2DBackpropInput(input_sizes, filter, out_backprop): a transposed convolution. */
const conv2dBackpropInput: Converter = (ctx) => {
  const sizes = constInts(ctx, 0, 'input_sizes');
  const filter = inputAt(ctx, 1);
  const dy = inputAt(ctx, 2);
  const sp = spatialAttrs(ctx);
  const xs = ctx.b.as(dy, sp.perm, ctx.node.name);
  const [, , ih, iw] = shapeOf(xs);
  const [kh, kw] = logicalShape(filter) as number[];
  const outHW = sp.nchw ? [sizes[2]!, sizes[3]!] : [sizes[1]!, sizes[2]!];
  // TF pads the forward convolution of the requested output size; the transpose undoes it.
  const pads = padsFor(ctx, sp, outHW, [kh!, kw!]);
  const outputPadding = [0, 1].map((i) => {
    const inSize = [ih, iw][i];
    if (typeof inSize !== 'number') throw nodeError(ctx, 'the input spatial dims must be static');
    const eff = ([kh, kw][i]! - 1) * sp.dilations[i]! + 1;
    const natural = (inSize - 1) * sp.strides[i]! + eff - pads[i]! - pads[i + 2]!;
    const extra = outHW[i]! - natural;
    if (extra < 0 || extra >= Math.max(sp.strides[i]!, sp.dilations[i]!)) {
      throw nodeError(ctx, `input_sizes [${sizes.join(', ')}] cannot come from a ${inSize}-pixel input`);
    }
    return extra;
  });
  const y = ctx.b.emit1(
    'ConvTranspose',
    [xs, ctx.b.as(filter, HWIO_TO_OIHW, ctx.node.name)],
    {
      dilations: sp.dilations,
      kernel_shape: [kh!, kw!],
      pads,
      strides: sp.strides,
      output_padding: outputPadding,
    },
    ctx.node.name,
  );
  return [{ t: y, perm: sp.perm }];
};

/** MatMul / BatchMatMul (transpose_a/b, adj_x/adj_y) and _FusedMatMul. */
function matmul(fused: boolean): Converter {
  return (ctx) => {
    const a = inputAt(ctx, 0);
    const bv = inputAt(ctx, 1);
    const ta = attrBool(ctx.node, 'transpose_a', false) || attrBool(ctx.node, 'adj_x', false);
    const tb = attrBool(ctx.node, 'transpose_b', false) || attrBool(ctx.node, 'adj_y', false);
    const swapLast = (v: Value, t: boolean) => {
      const r = v.perm.length;
      const p = [...Array(r).keys()];
      if (t) [p[r - 2], p[r - 1]] = [p[r - 1]!, p[r - 2]!];
      return ctx.b.as(v, p, ctx.node.name);
    };
    const y = ctx.b.emit1('MatMul', [swapLast(a, ta), swapLast(bv, tb)], {}, ctx.node.name);
    let out: Value = plain(y);
    if (fused) {
      const f = applyFused(ctx, 2);
      if (f.bias) {
        const al = aligned(ctx, [out, f.bias]);
        out = { t: ctx.b.emit1('Add', al.ops, {}, ctx.node.name), perm: al.perm };
      }
      out = f.apply(out);
    }
    return [out];
  };
}

/** Converters of the convolution and matrix-product TF ops. */
export const CONV_CONVERTERS: Readonly<Record<string, Converter>> = {
  Conv2D: convolution(false, false),
  _FusedConv2D: convolution(false, true),
  DepthwiseConv2dNative: convolution(true, false),
  DepthwiseConv2d: convolution(true, false),
  FusedDepthwiseConv2dNative: convolution(true, true),
  Conv2DBackpropInput: conv2dBackpropInput,
  MatMul: matmul(false),
  BatchMatMul: matmul(false),
  BatchMatMulV2: matmul(false),
  _FusedMatMul: matmul(true),
};
