/**
 * torchvision's small building blocks with its state-dict names: `Conv2dNormActivation`
 * (a Sequential `0` conv, `1` norm, `2` activation) and `SqueezeExcitation` (`fc1`, `fc2`).
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  F,
  HardSigmoid,
  HardSwish,
  InvalidArgumentError,
  Module,
  ReLU,
  ReLU6,
  Sequential,
  Sigmoid,
  type SymbolicTensor,
} from '@ocular/core';

/** The activations torchvision's detection and classification builders use. */
export type TvActivation = 'relu' | 'relu6' | 'hardswish' | 'none';

/** A fresh activation layer (parameter-free), or undefined for `'none'`. */
export function tvActivation(name: TvActivation): Module<[SymbolicTensor], SymbolicTensor> | undefined {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'relu6':
      return new ReLU6();
    case 'hardswish':
      return new HardSwish();
    case 'none':
      return undefined;
    default:
      throw new InvalidArgumentError(`unknown torchvision activation '${String(name)}'`);
  }
}

/** Options of {@link conv2dNormActivation}. */
export interface Conv2dNormActivationOptions {
  readonly kernelSize?: number;
  readonly stride?: number;
  readonly dilation?: number;
  readonly groups?: number;
  /** BatchNorm eps (torchvision's default 1e-5; MobileNetV3 and SSDLite use 1e-3). */
  readonly eps?: number;
  /** Default `'relu'`. */
  readonly activation?: TvActivation;
}

/**
 * torchvision's `Conv2dNormActivation`: conv without bias (padding `(k − 1) / 2 · dilation`),
 * BatchNorm, then the activation, as a Sequential named `0`, `1`, `2`.
 */
export function conv2dNormActivation(
  inChannels: number,
  outChannels: number,
  options: Conv2dNormActivationOptions = {},
): Sequential {
  const k = options.kernelSize ?? 3;
  const dilation = options.dilation ?? 1;
  const layers: Module[] = [
    new Conv2d(inChannels, outChannels, k, {
      stride: options.stride ?? 1,
      padding: ((k - 1) / 2) * dilation,
      dilation,
      groups: options.groups ?? 1,
      bias: false,
    }),
    new BatchNorm2d(outChannels, { eps: options.eps ?? 1e-5 }),
  ];
  const act = tvActivation(options.activation ?? 'relu');
  if (act) layers.push(act);
  return new Sequential(layers);
}

/**
 * torchvision's `SqueezeExcitation`: `x · scale(fc2(relu(fc1(mean_hw(x)))))` with 1×1 convs;
 * MobileNetV3 uses a hard-sigmoid scale.
 */
export class SqueezeExcitation extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly fc1: Conv2d;
  readonly fc2: Conv2d;
  readonly #scale: Module<[SymbolicTensor], SymbolicTensor>;

  constructor(
    inputChannels: number,
    squeezeChannels: number,
    scale: 'hardsigmoid' | 'sigmoid' = 'hardsigmoid',
  ) {
    super();
    this.fc1 = this.registerModule('fc1', new Conv2d(inputChannels, squeezeChannels, 1));
    this.fc2 = this.registerModule('fc2', new Conv2d(squeezeChannels, inputChannels, 1));
    // nn.Hardsigmoid is relu6(x + 3) / 6, ONNX's HardSigmoid with alpha 1/6, beta 0.5.
    this.#scale = scale === 'hardsigmoid' ? new HardSigmoid() : new Sigmoid();
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let s = F.reduceMean(x, [2, 3], { keepdims: true });
    s = F.relu(this.fc1.call(s));
    s = this.#scale.call(this.fc2.call(s));
    return F.mul(x, s);
  }
}

/** torchvision's `_make_divisible`: round to a multiple of `divisor`, never below 90 % of `v`. */
export function makeDivisibleTv(v: number, divisor = 8, minValue?: number): number {
  const min = minValue ?? divisor;
  let out = Math.max(min, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}
