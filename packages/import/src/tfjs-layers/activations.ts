/**
 * Keras activation functions (the `activation` of Conv2D/Dense/Activation layers) as ONNX ops,
 * with TF.js's definitions (hard_sigmoid is `clip(0.2x + 0.5, 0, 1)`, swish is `x·sigmoid(x)`,
 * relu6 is `min(relu(x), 6)`).
 * @module
 */
import { type SymbolicTensor, Tensor } from '@ocular/core';
import type { LayerContext } from './context.js';
import { storedAxis } from './layout.js';

type Activation = (ctx: LayerContext, x: SymbolicTensor) => SymbolicTensor;

const scalar = (x: SymbolicTensor, v: number) => Tensor.from(x.dtype, [v], []);

/** Activations by normalised name (lower case, no underscores), so `hard_sigmoid` = `hardSigmoid`. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  linear: (_c, x) => x,
  relu: (c, x) => c.op('Relu', [x]),
  relu6: (c, x) => c.op('Clip', [x, scalar(x, 0), scalar(x, 6)]),
  sigmoid: (c, x) => c.op('Sigmoid', [x]),
  tanh: (c, x) => c.op('Tanh', [x]),
  elu: (c, x) => c.op('Elu', [x], { alpha: 1 }),
  selu: (c, x) => c.op('Selu', [x]),
  softplus: (c, x) => c.op('Softplus', [x]),
  softsign: (c, x) => c.op('Div', [x, c.op('Add', [c.op('Abs', [x]), scalar(x, 1)])]),
  hardsigmoid: (c, x) => c.op('HardSigmoid', [x], { alpha: 0.2, beta: 0.5 }),
  swish: (c, x) => c.op('Mul', [x, c.op('Sigmoid', [x])]),
  silu: (c, x) => c.op('Mul', [x, c.op('Sigmoid', [x])]),
  mish: (c, x) => c.op('Mish', [x]),
  gelu: (c, x) => c.op('Gelu', [x]),
  gelunew: (c, x) => c.op('Gelu', [x], { approximate: 'tanh' }),
  softmax: (c, x) => c.op('Softmax', [x], { axis: storedAxis(-1, x.rank) }),
  logsoftmax: (c, x) => c.op('LogSoftmax', [x], { axis: storedAxis(-1, x.rank) }),
};

/** Normalises an activation identifier (`'hard_sigmoid'`, `{class_name: 'HardSigmoid'}`...). */
export function activationName(v: unknown): string {
  const raw =
    v === undefined || v === null
      ? 'linear'
      : typeof v === 'string'
        ? v
        : String(
            (v as { class_name?: unknown }).class_name ?? (v as { config?: { name?: unknown } }).config?.name,
          );
  return raw.toLowerCase().replace(/_/g, '');
}

/** True when the activation is known. */
export function isKnownActivation(v: unknown): boolean {
  return activationName(v) in ACTIVATIONS;
}

/**
 * Applies the Keras activation `v` to `x`.
 * @throws ImportError naming the layer and activation when it is unknown
 */
export function applyActivation(ctx: LayerContext, x: SymbolicTensor, v: unknown): SymbolicTensor {
  const name = activationName(v);
  const f = ACTIVATIONS[name];
  if (!f)
    ctx.fail(`activation '${String(typeof v === 'string' ? v : name)}' is not supported`, {
      activation: name,
    });
  return f(ctx, x);
}
