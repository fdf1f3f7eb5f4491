/**
 * BatchNormalization (inference form: moving statistics).
 * @module
 */
import { Tensor } from '@ocular/core';
import type { LayerConverter } from '../context.js';
import { storedAxis } from '../layout.js';

/**
 * BatchNormalization over `axis` with `epsilon`, `center` and `scale`. On the stored channel
 * axis 1 it is ONNX BatchNormalization; on any other axis, a Mul and an Add with per-axis
 * constants folded at import.
 */
export const batchNormalization: LayerConverter = (ctx, [x]) => {
  const rawAxis = ctx.config.axis;
  const axis = Array.isArray(rawAxis)
    ? rawAxis.length === 1
      ? (rawAxis[0] as number)
      : ctx.fail('normalising over several axes is not supported')
    : ((rawAxis as number | undefined) ?? -1);
  const a = storedAxis(axis, x!.rank);
  const eps = ctx.get('epsilon', 1e-3);
  const mean = ctx.weight('moving_mean');
  const variance = ctx.weight('moving_variance');
  const c = mean.size;
  const ones = Tensor.from('float32', new Array<number>(c).fill(1));
  const zeros = Tensor.zeros('float32', [c]);
  const gamma = ctx.get('scale', true) ? ctx.weight('gamma') : ones;
  const beta = ctx.get('center', true) ? ctx.weight('beta') : zeros;
  if (a === 1) {
    return [ctx.op('BatchNormalization', [x!, gamma, beta, mean, variance], { epsilon: eps })];
  }
  const [g, b, m, v] = [gamma, beta, mean, variance].map((t) => t.toFloat32()) as Float32Array[];
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = g![i]! / Math.sqrt(v![i]! + eps);
    shift[i] = b![i]! - m![i]! * scale[i]!;
  }
  const dims = new Array<number>(x!.rank).fill(1);
  dims[a] = c;
  const y = ctx.op('Mul', [x!, new Tensor('float32', scale, dims.slice(1))]);
  return [ctx.op('Add', [y, new Tensor('float32', shift, dims.slice(1))])];
};
