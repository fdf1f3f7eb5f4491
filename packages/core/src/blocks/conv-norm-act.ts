/**
 * Conv → norm → activation (timm's `ConvNormAct`, children `conv` and `bn`).
 * @module
 */
import type { SymbolicTensor } from '../ir/trace.js';
import type { ActivationLayer } from '../nn/activation.js';
import { Conv2d } from '../nn/conv.js';
import { Module } from '../nn/module.js';
import { resolvePadding, type TimmPadding } from './helpers.js';
import { batchNormAct2d, type NormActFactory } from './norm-act.js';

/** Options of {@link ConvNormAct}. */
export interface ConvNormActOptions {
  /** Default 1. */
  readonly kernelSize?: number | readonly number[];
  readonly stride?: number | readonly number[];
  /** timm padding; default `''` (symmetric `get_padding`). */
  readonly padding?: TimmPadding;
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
  /** Conv bias (default false). */
  readonly bias?: boolean;
  /** Apply the activation (default true). */
  readonly applyAct?: boolean;
  /** Default `'relu'`. */
  readonly actLayer?: ActivationLayer;
  /** Norm+act factory (default {@link batchNormAct2d} with eps 1e-5). */
  readonly normLayer?: NormActFactory;
}

/** `conv` (no bias by default) then `bn` (norm with the activation inside, as timm). */
export class ConvNormAct extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv: Conv2d;
  readonly bn: Module<[SymbolicTensor], SymbolicTensor>;

  constructor(inChannels: number, outChannels: number, options: ConvNormActOptions = {}) {
    super();
    const kernelSize = options.kernelSize ?? 1;
    const stride = options.stride ?? 1;
    const dilation = options.dilation ?? 1;
    this.conv = this.registerModule(
      'conv',
      new Conv2d(inChannels, outChannels, kernelSize, {
        stride,
        dilation,
        groups: options.groups ?? 1,
        padding: resolvePadding(options.padding ?? '', kernelSize, stride, dilation),
        bias: options.bias ?? false,
      }),
    );
    const norm = options.normLayer ?? batchNormAct2d();
    this.bn = this.registerModule(
      'bn',
      norm(outChannels, { applyAct: options.applyAct ?? true, actLayer: options.actLayer ?? 'relu' }),
    );
  }

  /** Input channels of the conv. */
  get inChannels(): number {
    return this.conv.inChannels;
  }

  /** Output channels of the conv. */
  get outChannels(): number {
    return this.conv.outChannels;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.bn.call(this.conv.call(x));
  }
}
