/**
 * Classifier heads (timm's `SelectAdaptivePool2d` and `ClassifierHead`: children `global_pool`,
 * `drop`, `fc`, `flatten`).
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { add, concat, flatten, globalAvgPool, globalMaxPool, mul } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Identity } from '../nn/containers.js';
import { Conv2d } from '../nn/conv.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';

/** Global pooling kinds (timm's names; `''` = no pooling). */
export type PoolType = 'avg' | 'max' | 'avgmax' | 'catavgmax' | '';

/** `nn.Flatten(1)`. */
export class Flatten extends Module<[SymbolicTensor], SymbolicTensor> {
  forward(x: SymbolicTensor): SymbolicTensor {
    return flatten(x, 1);
  }
}

/** The global pooling itself (no parameters): `avg`, `max`, `avgmax` (mean of both), `catavgmax`. */
class AdaptivePool extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly poolType: Exclude<PoolType, ''>) {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    switch (this.poolType) {
      case 'avg':
        return globalAvgPool(x);
      case 'max':
        return globalMaxPool(x);
      case 'avgmax':
        return mul(add(globalAvgPool(x), globalMaxPool(x)), 0.5);
      case 'catavgmax':
        return concat([globalAvgPool(x), globalMaxPool(x)], 1);
    }
  }
}

/** Global pooling to `[B, C, 1, 1]`, optionally flattened to `[B, C]` (children `pool`, `flatten`). */
export class SelectAdaptivePool2d extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly pool: Module<[SymbolicTensor], SymbolicTensor>;
  readonly flatten: Module<[SymbolicTensor], SymbolicTensor>;
  readonly poolType: PoolType;

  constructor(poolType: PoolType = 'avg', options: { flatten?: boolean } = {}) {
    super();
    if (!['avg', 'max', 'avgmax', 'catavgmax', ''].includes(poolType)) {
      throw new InvalidArgumentError(`unknown pool type '${poolType}'`);
    }
    this.poolType = poolType;
    this.pool = this.registerModule('pool', poolType ? new AdaptivePool(poolType) : new Identity());
    this.flatten = this.registerModule('flatten', options.flatten ? new Flatten() : new Identity());
  }

  /** Channel multiplier of the pooled output (2 for `catavgmax`). */
  featMult(): number {
    return this.poolType === 'catavgmax' ? 2 : 1;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.flatten.call(this.pool.call(x));
  }
}

/** Options of {@link ClassifierHead}. */
export interface ClassifierHeadOptions {
  /** Default `'avg'`. */
  readonly poolType?: PoolType;
  /** Dropout before fc (identity at inference). */
  readonly dropRate?: number;
  /** 1×1 conv classifier on the pooled NCHW map instead of a linear layer (default false). */
  readonly useConv?: boolean;
}

/**
 * Global pool → dropout → fc (`Linear`, or a 1×1 conv with `useConv`), as timm. `numClasses`
 * 0 makes `fc` an identity (features out).
 */
export class ClassifierHead extends Module<[SymbolicTensor, boolean?], SymbolicTensor> {
  readonly globalPool: SelectAdaptivePool2d;
  readonly drop: Dropout;
  readonly fc: Module<[SymbolicTensor], SymbolicTensor>;
  readonly flatten: Module<[SymbolicTensor], SymbolicTensor>;
  readonly inFeatures: number;
  readonly numClasses: number;

  constructor(inFeatures: number, numClasses: number, options: ClassifierHeadOptions = {}) {
    super();
    const poolType = options.poolType ?? 'avg';
    const useConv = options.useConv ?? false;
    this.inFeatures = inFeatures;
    this.numClasses = numClasses;
    this.globalPool = this.registerModule(
      'global_pool',
      new SelectAdaptivePool2d(poolType, { flatten: !useConv && poolType !== '' }),
    );
    this.drop = this.registerModule('drop', new Dropout(options.dropRate ?? 0));
    const pooled = inFeatures * this.globalPool.featMult();
    this.fc = this.registerModule(
      'fc',
      numClasses <= 0
        ? new Identity()
        : useConv
          ? new Conv2d(pooled, numClasses, 1)
          : new Linear(pooled, numClasses),
    );
    this.flatten = this.registerModule('flatten', useConv && poolType ? new Flatten() : new Identity());
  }

  /** With `preLogits`, returns the pooled features without the classifier. */
  forward(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const y = this.drop.call(this.globalPool.call(x));
    if (preLogits) return this.flatten.call(y);
    return this.flatten.call(this.fc.call(y));
  }
}
