import { describe, expect, it } from 'vitest';
import {
  AbortError,
  BackendError,
  builtinOpSchemas,
  createGraph,
  finishOrtCompile,
  fromOrtTensor,
  ORT_CPU_KERNEL_GAPS,
  type OrtKernelGap,
  ortGraphIssue,
  ortModelBytes,
  readOnnxModel,
  Tensor,
  Tracer,
  toOrtTensor,
} from '../src/index.js';

/** A stand-in for onnxruntime-common's Tensor: it keeps what it was given. */
class FakeOrtTensor {
  constructor(
    readonly type: string,
    readonly data: ArrayBufferView,
    readonly dims: readonly number[],
  ) {}
}

describe('onnxruntime tensor conversion', () => {
  it('wraps host tensors without copying and names onnxruntime types like Ocular dtypes', () => {
    const t = Tensor.from('int64', [1n, -2n], [2]);
    const o = toOrtTensor(FakeOrtTensor, t, 'x');
    expect(o).toMatchObject({ type: 'int64', dims: [2] });
    expect(o.data).toBe(t.data);
  });

  it('rejects bfloat16 and storage dtypes with a BackendError naming the dtype', () => {
    for (const d of ['bfloat16', 'float8e5m2', 'int4'] as const) {
      expect(() => toOrtTensor(FakeOrtTensor, Tensor.zeros(d, [1]), 'x')).toThrow(BackendError);
      expect(() => toOrtTensor(FakeOrtTensor, Tensor.zeros(d, [1]), 'x')).toThrow(new RegExp(`dtype ${d}`));
    }
  });

  it('reads float16 outputs given as raw bits or as decoded numbers (Float16Array runtimes)', () => {
    const bits = fromOrtTensor({ type: 'float16', dims: [2], data: new Uint16Array([0x3c00, 0xc000]) }, 'x');
    expect(bits.toNumbers()).toEqual([1, -2]);
    const decoded = fromOrtTensor({ type: 'float16', dims: [3], data: new Float32Array([1, -2, 0.5]) }, 'x');
    expect(Array.from(decoded.data as Uint16Array)).toEqual([0x3c00, 0xc000, 0x3800]);
    expect(() => fromOrtTensor({ type: 'string', dims: [1], data: ['a'] }, 'x')).toThrow(
      /onnxruntime type 'string'/,
    );
  });
});

describe('ortGraphIssue', () => {
  const gaps: OrtKernelGap[] = [
    { opType: 'Max', dtypes: ['int16'], reason: 'no int16 Max' },
    { opType: 'Where', dtypes: ['int8'], match: 'outputs', reason: 'no int8 Where' },
    { opType: 'Relu', minOpset: 30, reason: 'no Relu-30' },
  ];
  const limits = { backend: 'b', maxOpset: 26, gaps };

  it('matches kernel gaps by op, dtype (inputs or outputs only) and opset', () => {
    const t = new Tracer('g');
    t.run(() => {
      const a = t.input('a', 'int16', [2]);
      t.output('y', t.emit('Max', [a, a])[0]!);
    });
    expect(ortGraphIssue(t.graph, limits)).toBe('b: Max on int16: no int16 Max');
    const w = new Tracer('w');
    w.run(() => {
      const c = w.input('c', 'bool', [2]);
      w.output('y', w.emit('Where', [c, w.input('x', 'int32', [2]), w.input('z', 'int32', [2])])[0]!);
    });
    // The bool condition does not trigger the int8 gap; only the data dtype (the output) counts.
    expect(ortGraphIssue(w.graph, limits)).toBeUndefined();
  });

  it('flags graphs newer than the engine and I/O dtypes it cannot carry', () => {
    const g = createGraph('new', 27);
    expect(ortGraphIssue(g, limits)).toMatch(
      /opset 27 is newer than the newest this onnxruntime supports \(26\)/,
    );
    const t = new Tracer('bf');
    t.run(() => t.output('y', t.emit('Identity', [t.input('x', 'bfloat16', [2])])[0]!));
    expect(ortGraphIssue(t.graph, limits)).toMatch(/graph input 'x' has dtype bfloat16/);
  });
});

describe('ORT_CPU_KERNEL_GAPS', () => {
  it('names each IR op at most once, each gap with its dtypes or opset', () => {
    const irOps = new Set(builtinOpSchemas().map((s) => s.opType));
    const ops = ORT_CPU_KERNEL_GAPS.map((g) => g.opType);
    expect(new Set(ops).size).toBe(ops.length);
    for (const g of ORT_CPU_KERNEL_GAPS) {
      expect(irOps.has(g.opType), g.opType).toBe(true);
      expect(g.dtypes?.length || g.minOpset, g.opType).toBeTruthy();
    }
    expect(ORT_CPU_KERNEL_GAPS.find((g) => g.opType === 'ReduceSum')).toEqual({
      opType: 'ReduceSum',
      dtypes: ['uint32', 'uint64'],
      reason:
        "onnxruntime's CPU ReduceSum has no kernel for this dtype (it runs float, double, float16, int32 and int64)",
    });
  });
});

describe('compiling for onnxruntime', () => {
  const reluGraph = (dtype: 'float32' | 'bfloat16') => {
    const t = new Tracer('relu');
    t.run(() => t.output('y', t.emit('Relu', [t.input('x', dtype, [2])])[0]!));
    return t.graph;
  };

  it('serialises a graph whose I/O onnxruntime can carry, and refuses one it cannot', () => {
    const back = readOnnxModel(ortModelBytes(reluGraph('float32'), 'b'));
    expect(back.nodes.map((n) => n.opType)).toEqual(['Relu']);
    expect(back.inputs.map((v) => [v.name, v.dtype])).toEqual([['x', 'float32']]);
    expect(() => ortModelBytes(reluGraph('bfloat16'), 'b')).toThrow(/b: graph input 'x' has dtype bfloat16/);
  });

  it('releases the new session when the compile was aborted meanwhile', async () => {
    let released = 0;
    const session = {
      run: async () => ({}),
      release: async () => {
        released++;
      },
    };
    const controller = new AbortController();
    const wrapped = await finishOrtCompile(
      'b',
      reluGraph('float32'),
      session,
      FakeOrtTensor,
      controller.signal,
    );
    expect(wrapped.inputNames).toEqual(['x']);
    expect(released).toBe(0);
    controller.abort();
    await expect(
      finishOrtCompile('b', reluGraph('float32'), session, FakeOrtTensor, controller.signal),
    ).rejects.toBeInstanceOf(AbortError);
    expect(released).toBe(1);
  });
});
