/**
 * The transformer MLP (timm's `Mlp`: `fc1`, `act`, `drop1`, `norm`, `fc2`, `drop2`).
 * @module
 */
import type { SymbolicTensor } from '../ir/trace.js';
import { type ActivationLayer, createActivation } from '../nn/activation.js';
import { Identity } from '../nn/containers.js';
import { Conv2d } from '../nn/conv.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';

/** Options of {@link Mlp}. */
export interface MlpOptions {
  /** Default: `inFeatures`. */
  readonly hiddenFeatures?: number;
  /** Default: `inFeatures`. */
  readonly outFeatures?: number;
  /** Default `'gelu'`. */
  readonly actLayer?: ActivationLayer;
  /** Optional norm on the hidden features. */
  readonly normLayer?: (features: number) => Module<[SymbolicTensor], SymbolicTensor>;
  /** Bias of fc1 and fc2, one value or a pair (default true). */
  readonly bias?: boolean | readonly [boolean, boolean];
  /** Dropout probabilities (identity at inference; kept for reference). */
  readonly drop?: number | readonly [number, number];
  /** 1×1 convs on NCHW instead of linear layers on the last dim (default false). */
  readonly useConv?: boolean;
}

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** fc1 → act → drop1 → norm → fc2 → drop2. */
export class Mlp extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly fc1: Layer;
  readonly act: Layer;
  readonly drop1: Dropout;
  readonly norm: Layer;
  readonly fc2: Layer;
  readonly drop2: Dropout;

  constructor(inFeatures: number, options: MlpOptions = {}) {
    super();
    const hidden = options.hiddenFeatures || inFeatures;
    const out = options.outFeatures || inFeatures;
    const [b1, b2] =
      typeof options.bias === 'object' ? options.bias : [options.bias ?? true, options.bias ?? true];
    const [p1, p2] = typeof options.drop === 'object' ? options.drop : [options.drop ?? 0, options.drop ?? 0];
    const make = (i: number, o: number, bias: boolean): Layer =>
      options.useConv ? new Conv2d(i, o, 1, { bias }) : new Linear(i, o, { bias });
    this.fc1 = this.registerModule('fc1', make(inFeatures, hidden, b1));
    this.act = this.registerModule('act', createActivation(options.actLayer ?? 'gelu'));
    this.drop1 = this.registerModule('drop1', new Dropout(p1));
    this.norm = this.registerModule('norm', options.normLayer ? options.normLayer(hidden) : new Identity());
    this.fc2 = this.registerModule('fc2', make(hidden, out, b2));
    this.drop2 = this.registerModule('drop2', new Dropout(p2));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.fc1.call(x);
    y = this.drop1.call(this.act.call(y));
    y = this.fc2.call(this.norm.call(y));
    return this.drop2.call(y);
  }
}
