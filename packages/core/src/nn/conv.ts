/**
 * Convolution layers with PyTorch's parameter names and layouts (`weight` `[C_out, C_in/groups,
 * k...]`, `bias` `[C_out]`; transposed: `weight` `[C_in, C_out/groups, k...]`).
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { type ConvOptions, type ConvTransposeOptions, conv, convTranspose } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import type { Tensor } from '../tensor.js';
import { defaultBound, uniformTensor } from './init.js';
import { Module } from './module.js';

/** Options of the convolution layers. */
export interface ConvLayerOptions extends ConvOptions {
  /** Add a learnable bias (default true, as PyTorch). */
  readonly bias?: boolean;
}

function tuple(v: number | readonly number[], n: number): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length !== n) throw new InvalidArgumentError(`expected ${n} values, got [${v.join(', ')}]`);
  return [...v];
}

/** N-d convolution layer; {@link Conv1d} and {@link Conv2d} fix the rank. */
export class ConvNd extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly options: ConvOptions;

  constructor(
    rank: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super();
    const groups = options.groups ?? 1;
    if (inChannels % groups || outChannels % groups) {
      throw new InvalidArgumentError(
        `conv: channels ${inChannels}→${outChannels} are not divisible by groups ${groups}`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(kernelSize, rank);
    const { bias, ...convOptions } = options;
    this.options = convOptions;
    const fanIn = (inChannels / groups) * this.kernelSize.reduce((a, b) => a * b, 1);
    const bound = defaultBound(fanIn);
    this.weight = this.registerParameter(
      'weight',
      uniformTensor([outChannels, inChannels / groups, ...this.kernelSize], -bound, bound),
    );
    if (bias ?? true) this.bias = this.registerParameter('bias', uniformTensor([outChannels], -bound, bound));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return conv(x, this.weight, this.bias, this.options);
  }
}

/** 1-D convolution (`nn.Conv1d`). */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options?: ConvLayerOptions,
  ) {
    super(1, inChannels, outChannels, kernelSize, options);
  }
}

/** 2-D convolution (`nn.Conv2d`). `padding: 'same'` is TensorFlow-style SAME for any stride. */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options?: ConvLayerOptions,
  ) {
    super(2, inChannels, outChannels, kernelSize, options);
  }
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTransposeLayerOptions extends ConvTransposeOptions {
  /** Add a learnable bias (default true, as PyTorch). */
  readonly bias?: boolean;
}

/** 2-D transposed convolution (`nn.ConvTranspose2d`). */
export class ConvTranspose2d extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly options: ConvTransposeLayerOptions;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super();
    const groups = options.groups ?? 1;
    if (inChannels % groups || outChannels % groups) {
      throw new InvalidArgumentError(
        `convTranspose: channels ${inChannels}→${outChannels} are not divisible by groups ${groups}`,
      );
    }
    const k = tuple(kernelSize, 2);
    this.options = options;
    // PyTorch computes fan_in of a transposed conv from weight dim 1 (C_out / groups).
    const bound = defaultBound((outChannels / groups) * k[0]! * k[1]!);
    this.weight = this.registerParameter(
      'weight',
      uniformTensor([inChannels, outChannels / groups, ...k], -bound, bound),
    );
    if (options.bias ?? true)
      this.bias = this.registerParameter('bias', uniformTensor([outChannels], -bound, bound));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return convTranspose(x, this.weight, this.bias, this.options);
  }
}
