import { describe, expect, it } from 'vitest';
import { StateDictError } from '../src/errors.js';
import * as F from '../src/functional.js';
import type { SymbolicTensor } from '../src/ir/trace.js';
import {
  BatchNorm2d,
  Conv2d,
  Generator,
  graphStateInfo,
  Identity,
  Linear,
  Module,
  ModuleDict,
  ModuleList,
  manualSeed,
  ReLU,
  Sequential,
  traceModule,
} from '../src/nn/index.js';
import { Tensor } from '../src/tensor.js';
import { type LayoutEntry, layoutUnder, moduleLayout } from './nn-reference.js';

/** torchvision/timm BasicBlock with PyTorch child names. */
class BasicBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  constructor(inC: number, outC: number, stride: number) {
    super();
    this.conv1 = this.registerModule('conv1', new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(outC));
    this.registerModule('drop_block', new Identity());
    this.registerModule('act1', new ReLU());
    this.conv2 = this.registerModule('conv2', new Conv2d(outC, outC, 3, { padding: 1, bias: false }));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(outC));
    if (stride !== 1 || inC !== outC) {
      this.registerModule(
        'downsample',
        new Sequential([new Conv2d(inC, outC, 1, { stride, bias: false }), new BatchNorm2d(outC)]),
      );
    }
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return x;
  }
}

/** resnet18's stem, layer1 and layer2 (timm names). */
class ResNetPart extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor() {
    super();
    this.registerModule('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }));
    this.registerModule('bn1', new BatchNorm2d(64));
    this.registerModule('layer1', new Sequential([new BasicBlock(64, 64, 1), new BasicBlock(64, 64, 1)]));
    this.registerModule('layer2', new Sequential([new BasicBlock(64, 128, 2), new BasicBlock(128, 128, 1)]));
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return x;
  }
}

// Taken from timm's resnet18 state dict (layouts/resnet18.json): the first block of layer2.
const RESNET18_LAYER2_0: LayoutEntry[] = [
  ['conv1.weight', [128, 64, 3, 3], 'param', 'float32'],
  ['bn1.weight', [128], 'param', 'float32'],
  ['bn1.bias', [128], 'param', 'float32'],
  ['bn1.running_mean', [128], 'buffer', 'float32'],
  ['bn1.running_var', [128], 'buffer', 'float32'],
  ['bn1.num_batches_tracked', [], 'buffer', 'int64'],
  ['conv2.weight', [128, 128, 3, 3], 'param', 'float32'],
  ['bn2.weight', [128], 'param', 'float32'],
  ['bn2.bias', [128], 'param', 'float32'],
  ['bn2.running_mean', [128], 'buffer', 'float32'],
  ['bn2.running_var', [128], 'buffer', 'float32'],
  ['bn2.num_batches_tracked', [], 'buffer', 'int64'],
  ['downsample.0.weight', [128, 64, 1, 1], 'param', 'float32'],
  ['downsample.1.weight', [128], 'param', 'float32'],
  ['downsample.1.bias', [128], 'param', 'float32'],
  ['downsample.1.running_mean', [128], 'buffer', 'float32'],
  ['downsample.1.running_var', [128], 'buffer', 'float32'],
  ['downsample.1.num_batches_tracked', [], 'buffer', 'int64'],
];

describe('Module state dict naming and order', () => {
  it('matches timm resnet18 layer2.0 keys, shapes, kinds and dtypes (inline excerpt)', () => {
    expect(moduleLayout(new BasicBlock(64, 128, 2))).toEqual(RESNET18_LAYER2_0);
  });

  it('matches the resnet18 layout for the stem, layer1 and layer2, in order', () => {
    const expected = layoutUnder('resnet18', '').filter(([k]) => /^(conv1|bn1|layer1|layer2)\./.test(k));
    expect(expected.length).toBe(6 + 2 * 12 + 18 + 12);
    expect(moduleLayout(new ResNetPart())).toEqual(expected);
  });

  it('orders own params, then own persistent buffers, then children', () => {
    class M extends Module {
      constructor() {
        super();
        this.registerModule('child', new Linear(2, 3));
        this.registerBuffer('buf', Tensor.zeros('float32', [1]));
        this.registerBuffer('tmp', Tensor.zeros('float32', [1]), { persistent: false });
        this.registerParameter('p', Tensor.zeros('float32', [4]));
      }
      forward() {}
    }
    const m = new M();
    expect([...m.stateDict().keys()]).toEqual(['p', 'buf', 'child.weight', 'child.bias']);
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual(['buf', 'tmp']);
    expect([...m.namedBuffers('', { persistentOnly: true })].map(([k]) => k)).toEqual(['buf']);
    expect([...m.namedModules()].map(([k]) => k)).toEqual(['', 'child']);
  });

  it('never leaks property names into keys; containers name children by index or name', () => {
    class Net extends Module {
      readonly convDw = this.registerModule('conv_dw', new Conv2d(4, 4, 3, { groups: 4 }));
      readonly blocks = this.registerModule('blocks', new ModuleList([new Linear(4, 4), new Linear(4, 2)]));
      readonly heads = this.registerModule('heads', new ModuleDict({ cls: new Linear(2, 5) }));
      forward() {}
    }
    expect([...new Net().stateDict().keys()]).toEqual([
      'conv_dw.weight',
      'conv_dw.bias',
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.1.weight',
      'blocks.1.bias',
      'heads.cls.weight',
      'heads.cls.bias',
    ]);
    const s = Sequential.fromEntries([
      ['fc', new Linear(3, 3)],
      ['act', new ReLU()],
    ]);
    expect([...s.stateDict().keys()]).toEqual(['fc.weight', 'fc.bias']);
  });

  it('rejects bad and clashing names', () => {
    class M extends Module {
      forward() {}
    }
    const m = new M();
    expect(() => m.registerModule('a.b', new Identity())).toThrow(/without '\.'/);
    expect(() => m.registerParameter('', Tensor.zeros('float32', [1]))).toThrow();
    m.registerParameter('w', Tensor.zeros('float32', [1]));
    expect(() => m.registerModule('w', new Identity())).toThrow(/already/);
    expect(() => m.registerBuffer('w', Tensor.zeros('float32', [1]))).toThrow(/already/);
  });

  it('counts shared parameters once, like timm param_count', () => {
    class Tied extends Module {
      constructor() {
        super();
        const a = this.registerModule('a', new Linear(3, 4));
        const b = this.registerModule('b', new Linear(3, 4, { bias: false }));
        b.registerParameter('weight', a.weight);
      }
      forward() {}
    }
    const t = new Tied();
    expect(t.parameterCount()).toBe(12 + 4);
    expect([...t.stateDict().keys()]).toEqual(['a.weight', 'a.bias', 'b.weight']);
    expect(new Linear(10, 5).parameterCount()).toBe(55);
  });

  it('getSubmodule follows dotted paths', () => {
    const r = new ResNetPart();
    expect(r.getSubmodule('layer2.0.downsample.1')).toBeInstanceOf(BatchNorm2d);
    expect(() => r.getSubmodule('layer9')).toThrow(/no submodule/);
  });
});

describe('deterministic initialisation', () => {
  it('draws PyTorch-bounded uniform weights reproducibly from the seed', () => {
    manualSeed(7);
    const a = new Conv2d(8, 16, 3);
    manualSeed(7);
    const b = new Conv2d(8, 16, 3);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    const bound = 1 / Math.sqrt(8 * 9);
    const w = Array.from(a.weight.data);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    // Spread fills the interval (not all zeros / constant).
    expect(Math.max(...w) - Math.min(...w)).toBeGreaterThan(1.8 * bound);
    manualSeed(8);
    expect(Array.from(new Conv2d(8, 16, 3).weight.data)).not.toEqual(w);
  });

  it('starts norm layers at identity statistics', () => {
    const bn = new BatchNorm2d(3);
    expect(Array.from(bn.weight!.data)).toEqual([1, 1, 1]);
    expect(Array.from(bn.bias!.data)).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar.data)).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked.data[0]).toBe(0n);
  });

  it('Generator gives a uniform-looking sequence', () => {
    const g = new Generator(123);
    let sum = 0;
    for (let i = 0; i < 10000; i++) sum += g.nextFloat();
    expect(sum / 10000).toBeGreaterThan(0.48);
    expect(sum / 10000).toBeLessThan(0.52);
    expect(new Generator(1).nextUint32()).not.toBe(new Generator(2).nextUint32());
  });
});

describe('loadStateDict', () => {
  const ones = (dims: number[], v = 1) =>
    Tensor.from('float32', new Array(dims.reduce((a, b) => a * b, 1)).fill(v), dims);

  it('copies in place so properties stay valid, and reports loaded keys', () => {
    const lin = new Linear(2, 3);
    const w = lin.weight;
    const report = lin.loadStateDict({ weight: ones([3, 2], 0.5), bias: ones([3], 2) });
    expect(lin.weight).toBe(w);
    expect(Array.from(lin.weight.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(lin.bias!.data)).toEqual([2, 2, 2]);
    expect(report.loaded).toEqual(['weight', 'bias']);
    expect(report.missing).toEqual([]);
  });

  it('strict mode lists all missing, unexpected and mismatched keys and loads nothing', () => {
    const net = new Sequential([new Linear(2, 3), new Linear(3, 4)]);
    const before = Array.from((net.get(0) as Linear).weight.data);
    const src = new Map<string, Tensor>([
      ['0.weight', ones([3, 2])],
      ['0.bias', ones([4])], // wrong shape
      ['1.weight', ones([4, 3])],
      ['extra.weight', ones([1])],
    ]);
    let err: unknown;
    try {
      net.loadStateDict(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    const e = err as StateDictError;
    expect(e.code).toBe('E_STATE_DICT');
    expect(e.message).toMatch(/1 missing, 1 unexpected, 1 mismatched/);
    expect(e.message).toContain('1.bias');
    expect(e.message).toContain('extra.weight');
    expect(e.message).toContain('0.bias (module float32[3], checkpoint float32[4])');
    expect(e.details!.missing).toEqual(['1.bias']);
    expect(e.details!.unexpected).toEqual(['extra.weight']);
    expect(Array.from((net.get(0) as Linear).weight.data)).toEqual(before);
  });

  it('non-strict mode loads what matches, never a wrong shape', () => {
    const net = new Sequential([new Linear(2, 3)]);
    const r = net.loadStateDict({ '0.weight': ones([3, 2], 3), '0.bias': ones([2]) }, { strict: false });
    expect(r.loaded).toEqual(['0.weight']);
    expect(r.mismatched).toEqual([
      {
        key: '0.bias',
        expected: { dtype: 'float32', shape: [3] },
        got: { dtype: 'float32', shape: [2] },
        reason: 'shape',
      },
    ]);
    expect(Array.from((net.get(0) as Linear).weight.data)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('caps the message but keeps every key in details', () => {
    const list = new ModuleList(Array.from({ length: 300 }, () => new Linear(1, 1)));
    try {
      list.loadStateDict({});
      expect.unreachable();
    } catch (e) {
      const err = e as StateDictError;
      expect((err.details!.missing as string[]).length).toBe(600);
      expect(err.message.length).toBeLessThan(2600);
      expect(err.message).toMatch(/and 588 more/);
    }
  });

  it('converts float16 / bfloat16 / float64 checkpoints and reports it', () => {
    const lin = new Linear(2, 1);
    const r = lin.loadStateDict({
      weight: Tensor.from('float16', [0.5, -1.25], [1, 2]),
      bias: Tensor.from('float64', [0.1], [1]),
    });
    expect(Array.from(lin.weight.data)).toEqual([0.5, -1.25]);
    expect(lin.bias!.data[0]).toBeCloseTo(0.1, 7);
    expect(r.converted).toEqual([
      { key: 'weight', from: 'float16', to: 'float32' },
      { key: 'bias', from: 'float64', to: 'float32' },
    ]);
    const lin2 = new Linear(1, 1, { bias: false });
    lin2.loadStateDict({ weight: Tensor.from('bfloat16', [3], [1, 1]) });
    expect(lin2.weight.data[0]).toBe(3);
  });

  it('refuses float → int conversion as a dtype mismatch', () => {
    const bn = new BatchNorm2d(1);
    const sd = Object.fromEntries(bn.stateDict());
    sd.num_batches_tracked = Tensor.scalar('float32', 3);
    expect(() => bn.loadStateDict(sd)).toThrow(
      /num_batches_tracked \(module int64\[\], checkpoint float32\[\]\)/,
    );
  });

  it('treats a missing num_batches_tracked as defaulted, as PyTorch does', () => {
    const bn = new BatchNorm2d(2);
    const r = bn.loadStateDict({
      weight: ones([2], 2),
      bias: ones([2], 0),
      running_mean: ones([2], 0.5),
      running_var: ones([2], 4),
    });
    expect(r.defaulted).toEqual(['num_batches_tracked']);
    expect(r.missing).toEqual([]);
    expect(Array.from(bn.runningVar.data)).toEqual([4, 4]);
    // Present in the checkpoint: loaded (int64 → int64).
    bn.loadStateDict({
      ...Object.fromEntries(bn.stateDict()),
      num_batches_tracked: Tensor.scalar('int64', 42),
    });
    expect(bn.numBatchesTracked.data[0]).toBe(42n);
  });

  it('reads asynchronous sources, validating from info() before reading data', async () => {
    const lin = new Linear(2, 2);
    const data = new Map([
      ['weight', ones([2, 2], 7)],
      ['bias', ones([2], 1)],
    ]);
    const reads: string[] = [];
    const source = {
      keys: () => data.keys(),
      info: (k: string) => ({ dtype: data.get(k)!.dtype, shape: data.get(k)!.dims }),
      get: async (k: string) => {
        reads.push(k);
        return data.get(k)!;
      },
    };
    expect(() => lin.loadStateDict(source)).toThrow(/asynchronously/);
    const r = await lin.loadStateDictAsync(source);
    expect(r.loaded).toEqual(['weight', 'bias']);
    expect(Array.from(lin.weight.data)).toEqual([7, 7, 7, 7]);
    // A strict failure found through info() reads no tensor data at all.
    reads.length = 0;
    await expect(new Linear(3, 2).loadStateDictAsync(source)).rejects.toThrow(StateDictError);
    expect(reads).toEqual([]);
  });
});

describe('traceModule', () => {
  class Inner extends Module<[SymbolicTensor], SymbolicTensor> {
    readonly fc = this.registerModule('fc', new Linear(4, 3));
    readonly act = this.registerModule('act', new ReLU());
    forward(x: SymbolicTensor): SymbolicTensor {
      return this.act.call(this.fc.call(x));
    }
  }
  class Outer extends Module<[SymbolicTensor], SymbolicTensor> {
    readonly stages = this.registerModule(
      'stages',
      new ModuleList([new Sequential([new Inner(), new Inner()])]),
    );
    readonly extra = this.registerBuffer('scale', Tensor.from('float32', [2], [1]), { persistent: false });
    forward(x: SymbolicTensor): SymbolicTensor {
      // The root calls a deep descendant directly: its nodes still carry its full path.
      const deep = (this.stages.get(0) as Sequential).get(1) as Inner;
      return deep.fc.call(x);
    }
  }

  it('names initializers by state-dict key and scopes nodes by absolute module path', () => {
    const g = traceModule(new Outer(), [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }]);
    expect([...g.initializers.keys()]).toEqual(['stages.0.1.fc.weight', 'stages.0.1.fc.bias']);
    expect(g.nodes.map((n) => [n.opType, n.scope])).toEqual([['Gemm', 'stages.0.1.fc']]);
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([['output', ['batch', 3]]]);
  });

  it('reports a shape error with the module path and op', () => {
    class Bad extends Module<[SymbolicTensor], SymbolicTensor> {
      readonly stages = this.registerModule(
        'stages',
        new ModuleList([new Sequential([new Inner(), new Inner()])]),
      );
      forward(x: SymbolicTensor): SymbolicTensor {
        return this.stages.get(0).call(x); // the second Inner gets 3 features, expects 4
      }
    }
    expect(() => traceModule(new Bad(), [{ name: 'x', dtype: 'float32', shape: [2, 4] }])).toThrow(
      /^stages\.0\.1\.fc \(Gemm\): /,
    );
  });

  it('binds non-persistent buffers too and records which initializers are parameters', () => {
    class WithBuf extends Module<[SymbolicTensor], SymbolicTensor> {
      readonly idx = this.registerBuffer('index', Tensor.from('int64', [1, 0], [2]), { persistent: false });
      readonly fc = this.registerModule('fc', new Linear(2, 2));
      forward(x: SymbolicTensor): SymbolicTensor {
        return this.fc.call(F.gather(x, this.idx, 1));
      }
    }
    const m = new WithBuf();
    expect([...m.stateDict().keys()]).toEqual(['fc.weight', 'fc.bias']);
    const g = traceModule(m, [{ name: 'x', dtype: 'float32', shape: [1, 2] }], { outputNames: ['y'] });
    expect(g.initializers.has('index')).toBe(true);
    const info = graphStateInfo(g)!;
    expect([...info.parameters]).toEqual(['fc.weight', 'fc.bias']);
    expect([...info.buffers]).toEqual(['index']);
    expect(g.outputs[0]!.name).toBe('y');
  });
});
