import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  fuseConvBn,
  fuseIdentityBn,
  Identity,
  Module,
  ModuleDict,
  ModuleList,
  ReLU,
  type Reparameterizable,
  reparameterizeModel,
  Sequential,
  type SymbolicTensor,
  sumKernels,
} from '../src/index.js';

/** A stand-in block whose deploy form is a ReLU. */
class Foldable extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  forward(x: SymbolicTensor) {
    return x;
  }
  reparameterize() {
    return new ReLU();
  }
}

describe('reparameterizeModel', () => {
  it('swaps reparameterizable modules in place, inside containers too', () => {
    const seq = new Sequential([new Identity(), new Foldable()]);
    const list = new ModuleList([new Foldable()]);
    const dict = new ModuleDict({ a: new Foldable() });
    class Root extends Module<[SymbolicTensor], SymbolicTensor> {
      constructor() {
        super();
        this.registerModule('seq', seq);
        this.registerModule('list', list);
        this.registerModule('dict', dict);
      }
      forward(x: SymbolicTensor) {
        return x;
      }
    }
    const root = new Root();
    expect(reparameterizeModel(root)).toBe(root);
    // The run order of each container follows the replacement.
    expect([...seq].map((m) => m.constructor.name)).toEqual(['Identity', 'ReLU']);
    expect(list.get(0)).toBeInstanceOf(ReLU);
    expect(dict.get('a')).toBeInstanceOf(ReLU);
    expect(reparameterizeModel(new Foldable())).toBeInstanceOf(ReLU);
  });
});

describe('fusion helpers', () => {
  const bn = (scale: number, shift: number) => {
    const b = new BatchNorm2d(1);
    (b.runningVar.data as Float32Array)[0] = 4 - 1e-5; // σ = 2
    (b.runningMean.data as Float32Array)[0] = 1;
    (b.weight!.data as Float32Array)[0] = scale;
    (b.bias!.data as Float32Array)[0] = shift;
    return b;
  };

  it('folds a batch norm into a conv: w·γ/σ and β − μ·γ/σ', () => {
    const conv = new Conv2d(1, 1, 1, { bias: false });
    (conv.weight.data as Float32Array)[0] = 3;
    const f = fuseConvBn(conv, bn(2, 0.5));
    expect(f.weight[0]).toBeCloseTo(3, 5);
    expect(f.bias[0]).toBeCloseTo(-0.5, 6);
  });

  it('centres smaller kernels and a grouped identity when summing', () => {
    const id = fuseIdentityBn(bn(2, 0), 3, 1);
    const round = (a: Float64Array) => [...a].map((v) => Math.round(v * 1e5) / 1e5);
    expect(round(id.weight)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const one = { dims: [1, 1, 1, 1] as const, weight: new Float64Array([5]), bias: new Float64Array([1]) };
    const sum = sumKernels([id, one]);
    expect(sum.dims).toEqual([1, 1, 3, 3]);
    expect(round(sum.weight)).toEqual([0, 0, 0, 0, 6, 0, 0, 0, 0]);
    // Identity branch −μ·γ/σ = −1, the 1×1 branch +1.
    expect(sum.bias[0]).toBeCloseTo(0, 5);
  });
});
