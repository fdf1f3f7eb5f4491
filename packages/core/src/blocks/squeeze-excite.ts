/**
 * Squeeze-and-excitation (timm's `SEModule`: children `fc1`, `bn`, `act`, `fc2`, `gate`).
 * @module
 */
import { add, mul, reduceMax, reduceMean } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { type ActivationLayer, createActivation } from '../nn/activation.js';
import { Identity } from '../nn/containers.js';
import { Conv2d } from '../nn/conv.js';
import { Module } from '../nn/module.js';
import { makeDivisible } from './helpers.js';

/** Options of {@link SqueezeExcite}. */
export interface SqueezeExciteOptions {
  /** Reduction ratio (default 1/16). */
  readonly rdRatio?: number;
  /** Reduced channels; overrides `rdRatio`. */
  readonly rdChannels?: number;
  /** Reduced channels are a multiple of this (default 8). */
  readonly rdDivisor?: number;
  /** Average 0.5·mean + 0.5·max as the squeeze (timm's experimental option; default false). */
  readonly addMaxpool?: boolean;
  /** Bias on fc1/fc2 (default true). */
  readonly bias?: boolean;
  /** Default `'relu'`. */
  readonly actLayer?: ActivationLayer;
  /** Optional norm after fc1. */
  readonly normLayer?: (channels: number) => Module<[SymbolicTensor], SymbolicTensor>;
  /** Default `'sigmoid'`. */
  readonly gateLayer?: ActivationLayer;
}

/**
 * `x · gate(fc2(act(bn(fc1(mean_hw(x))))))` with 1×1 convs. Reduced channels follow timm:
 * `makeDivisible(channels · rdRatio, rdDivisor, undefined, 0)`.
 */
export class SqueezeExcite extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly fc1: Conv2d;
  readonly bn: Module<[SymbolicTensor], SymbolicTensor>;
  readonly act: Module<[SymbolicTensor], SymbolicTensor>;
  readonly fc2: Conv2d;
  readonly gate: Module<[SymbolicTensor], SymbolicTensor>;
  readonly addMaxpool: boolean;

  constructor(channels: number, options: SqueezeExciteOptions = {}) {
    super();
    const rd =
      options.rdChannels ||
      makeDivisible(channels * (options.rdRatio ?? 1 / 16), options.rdDivisor ?? 8, undefined, 0);
    const bias = options.bias ?? true;
    this.addMaxpool = options.addMaxpool ?? false;
    this.fc1 = this.registerModule('fc1', new Conv2d(channels, rd, 1, { bias }));
    this.bn = this.registerModule('bn', options.normLayer ? options.normLayer(rd) : new Identity());
    this.act = this.registerModule('act', createActivation(options.actLayer ?? 'relu'));
    this.fc2 = this.registerModule('fc2', new Conv2d(rd, channels, 1, { bias }));
    this.gate = this.registerModule('gate', createActivation(options.gateLayer ?? 'sigmoid'));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let s = reduceMean(x, [2, 3], { keepdims: true });
    if (this.addMaxpool) s = add(mul(s, 0.5), mul(reduceMax(x, [2, 3], { keepdims: true }), 0.5));
    s = this.fc2.call(this.act.call(this.bn.call(this.fc1.call(s))));
    return mul(x, this.gate.call(s));
  }
}

/** timm's alias. */
export { SqueezeExcite as SEModule };
