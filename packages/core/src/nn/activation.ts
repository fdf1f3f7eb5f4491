/**
 * Activation layers (parameter-free) and a factory that resolves timm-style names
 * (`'relu'`, `'gelu'`, `'gelu_tanh'`, `'silu'`/`'swish'`, `'hard_swish'`, ...).
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import * as F from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Identity } from './containers.js';
import { Module } from './module.js';

/** A parameter-free elementwise layer. */
abstract class Activation extends Module<[SymbolicTensor], SymbolicTensor> {}

/** `nn.ReLU`. */
export class ReLU extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.relu(x);
  }
}

/** `nn.ReLU6` (`Clip(0, 6)`). */
export class ReLU6 extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.relu6(x);
  }
}

/** `nn.GELU`, exact or tanh-approximated. */
export class GELU extends Activation {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.gelu(x, this.approximate);
  }
}

/** `nn.SiLU` (swish). */
export class SiLU extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.silu(x);
  }
}

/** `nn.Sigmoid`. */
export class Sigmoid extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.sigmoid(x);
  }
}

/** `nn.Tanh`. */
export class Tanh extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.tanh(x);
  }
}

/** `nn.Hardsigmoid` (`relu6(x + 3) / 6`). */
export class HardSigmoid extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.hardSigmoid(x);
  }
}

/** `nn.Hardswish`. */
export class HardSwish extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.hardSwish(x);
  }
}

/** `nn.LeakyReLU`. */
export class LeakyReLU extends Activation {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
}

/** `nn.Softplus` (beta 1). */
export class Softplus extends Activation {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.softplus(x);
  }
}

/** Names accepted by {@link createActivation}. */
export type ActivationName =
  | 'relu'
  | 'relu6'
  | 'gelu'
  | 'gelu_tanh'
  | 'silu'
  | 'swish'
  | 'sigmoid'
  | 'tanh'
  | 'hard_sigmoid'
  | 'hard_swish'
  | 'leaky_relu'
  | 'softplus'
  | 'identity';

/** An activation given by name, by factory, or absent (`null`/`undefined` → identity). */
export type ActivationLayer =
  | ActivationName
  | (() => Module<[SymbolicTensor], SymbolicTensor>)
  | null
  | undefined;

const FACTORIES: Record<ActivationName, () => Module<[SymbolicTensor], SymbolicTensor>> = {
  relu: () => new ReLU(),
  relu6: () => new ReLU6(),
  gelu: () => new GELU(),
  gelu_tanh: () => new GELU('tanh'),
  silu: () => new SiLU(),
  swish: () => new SiLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  hard_sigmoid: () => new HardSigmoid(),
  hard_swish: () => new HardSwish(),
  leaky_relu: () => new LeakyReLU(),
  softplus: () => new Softplus(),
  identity: () => new Identity(),
};

/** Builds an activation layer (`Identity` when `act` is null or undefined). */
export function createActivation(act: ActivationLayer): Module<[SymbolicTensor], SymbolicTensor> {
  if (act === null || act === undefined) return new Identity();
  if (typeof act === 'function') return act();
  const f = FACTORIES[act];
  if (!f) {
    throw new InvalidArgumentError(
      `unknown activation '${String(act)}' (known: ${Object.keys(FACTORIES).join(', ')})`,
    );
  }
  return f();
}
