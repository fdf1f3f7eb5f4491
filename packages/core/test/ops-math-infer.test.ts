/**
 * Shape and dtype inference of the math ops (elementwise, activation, reduce, normalization,
 * linalg), with symbolic dims and the errors tracing reports.
 */
import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  type Attributes,
  type DType,
  DTypeError,
  dtypeToOnnx,
  getOpSchema,
  OcularError,
  ShapeError,
  Tensor,
  type TensorInfo,
  Tracer,
} from '../src/index.js';
import { c64, infer, inferError, shape, sym } from './infer-helpers.js';

describe('elementwise', () => {
  it('broadcasts with symbolic dims', () => {
    expect(shape('Add', [sym(['batch', 3, 1, 'w']), sym([4, 1])])).toEqual(['batch', 3, 4, 'w']);
    expect(shape('Mul', [sym(['n', 1]), sym([1, 'm'])])).toEqual(['n', 'm']);
    expect(shape('Sum', [sym(['b', 8]), sym([8]), sym([1, 1])])).toEqual(['b', 8]);
    expect(shape('Where', [sym([1, 'n'], 'bool'), sym(['b', 1]), sym([])])).toEqual(['b', 'n']);
  });

  it('comparisons give bool; Pow keeps the base dtype', () => {
    expect(infer('Less', [sym([2]), sym([2])])[0]!.dtype).toBe('bool');
    expect(infer('Equal', [sym([2], 'bool'), sym([2], 'bool')])[0]!.dtype).toBe('bool');
    expect(infer('Pow', [sym([2], 'int32'), sym([1], 'float32')])[0]!.dtype).toBe('int32');
  });

  it('Cast takes its dtype from `to`; CastLike from its second input', () => {
    const y = infer('Cast', [sym(['b', 3])], { to: dtypeToOnnx('float8e4m3fn') })[0]!;
    expect(y).toEqual({ dtype: 'float8e4m3fn', shape: ['b', 3] });
    expect(infer('CastLike', [sym([2]), sym([], 'int4')])[0]!.dtype).toBe('int4');
    expect(inferError(() => infer('Cast', [sym([1])], { to: 8 }))).toBeInstanceOf(DTypeError);
    expect(
      inferError(() =>
        getOpSchema('Cast').infer({ opType: 'Cast', inputs: [sym([1])], attrs: {}, numOutputs: 1 }),
      ),
    ).toBeInstanceOf(OcularError);
  });

  it('reports what disagrees', () => {
    expect(inferError(() => shape('Add', [sym([2, 3]), sym([4])])).message).toBe(
      'cannot broadcast shapes [2, 3] and [4]',
    );
    const e = inferError(() => shape('Sub', [sym([2]), sym([2], 'float16')]));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toBe('input 1 has dtype float16, input 0 has float32; they must match');
    expect(inferError(() => shape('Sqrt', [sym([2], 'int64')])).message).toBe(
      'Sqrt input must be one of float32/float16/bfloat16/float64, got int64',
    );
    expect(inferError(() => shape('Not', [sym([2])])).message).toMatch(/Not input must be one of bool/);
  });
});

describe('activation', () => {
  it('keeps dtype and shape', () => {
    expect(infer('Gelu', [sym(['b', 197, 768], 'float16')], { approximate: 'tanh' })[0]).toEqual({
      dtype: 'float16',
      shape: ['b', 197, 768],
    });
    expect(shape('Softmax', [sym(['b', 12, 'n', 'n'])])).toEqual(['b', 12, 'n', 'n']);
  });

  it('checks axes, bounds and slopes', () => {
    expect(inferError(() => shape('LogSoftmax', [sym([2, 3])], { axis: -3 }))).toBeInstanceOf(AttributeError);
    expect(inferError(() => shape('Clip', [sym([2]), sym([2])])).message).toBe(
      'Clip min must be a scalar, got shape [2]',
    );
    expect(shape('PRelu', [sym(['b', 8, 'h', 'w']), sym([8, 1, 1])])).toEqual(['b', 8, 'h', 'w']);
    expect(inferError(() => shape('PRelu', [sym(['b', 8, 4, 4]), sym([8])])).message).toBe(
      'PRelu slope [8] does not broadcast to [b, 8, 4, 4]',
    );
  });
});

describe('reduce', () => {
  it('needs constant axes and reduces them, keeping symbolic dims elsewhere', () => {
    expect(shape('ReduceMean', [sym(['b', 64, 'h', 'w']), c64([2, 3])])).toEqual(['b', 64, 1, 1]);
    expect(shape('ReduceSum', [sym(['b', 64, 7, 7]), c64([-1, -2])], { keepdims: 0 })).toEqual(['b', 64]);
    expect(shape('ReduceMax', [sym(['b', 4])], { keepdims: 0 })).toEqual([]);
    expect(shape('ReduceMin', [sym(['b', 4]), c64([])], { noop_with_empty_axes: 1 })).toEqual(['b', 4]);
    expect(shape('ReduceL2', [sym([2, 3])], { axes: [1] })).toEqual([2, 1]);
    const e = inferError(() => shape('ReduceMean', [sym([2, 3]), sym([1], 'int64')]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('axes (input 1) must be a constant known at trace time');
  });

  it('ArgMax gives int64 and checks the axis', () => {
    expect(infer('ArgMax', [sym(['b', 1000])], { axis: 1, keepdims: 0 })[0]).toEqual({
      dtype: 'int64',
      shape: ['b'],
    });
    expect(inferError(() => shape('ArgMin', [sym([2])], { axis: 1 })).message).toBe(
      'axis 1 is out of range for rank 1',
    );
    expect(inferError(() => shape('ArgMax', [sym([2])], { keepdims: 3 })).message).toBe(
      "attribute 'keepdims' must be 0 or 1, got 3",
    );
  });
});

describe('normalization', () => {
  it('LayerNormalization statistics keep dims before axis, in the stash dtype', () => {
    const outs = infer(
      'LayerNormalization',
      [sym(['b', 'n', 384], 'float16'), sym([384], 'float16'), sym([384], 'float16')],
      {},
      3,
    );
    expect(outs.map((o) => o.shape)).toEqual([
      ['b', 'n', 384],
      ['b', 'n', 1],
      ['b', 'n', 1],
    ]);
    expect(outs.map((o) => o.dtype)).toEqual(['float16', 'float32', 'float32']);
  });

  it('BatchNormalization and InstanceNormalization check per-channel parameters', () => {
    const p = sym([16]);
    expect(shape('BatchNormalization', [sym(['b', 16, 'h', 'w']), p, p, p, p])).toEqual(['b', 16, 'h', 'w']);
    expect(
      inferError(() => shape('BatchNormalization', [sym(['b', 16, 8, 8]), sym([8]), p, p, p])).message,
    ).toBe('scale must have shape [16] (one value per channel), got [8]');
    expect(
      inferError(() => shape('InstanceNormalization', [sym([1, 3, 4, 4]), sym([3]), sym([3], 'float64')])),
    ).toBeInstanceOf(DTypeError);
  });

  it('GroupNormalization checks num_groups against the channels', () => {
    const s = sym([32]);
    expect(shape('GroupNormalization', [sym(['b', 32, 'h', 'w']), s, s], { num_groups: 8 })).toEqual([
      'b',
      32,
      'h',
      'w',
    ]);
    expect(
      shape('GroupNormalization', [sym(['b', 32, 4, 4]), sym([8]), sym([8])], { num_groups: 8 }),
    ).toEqual(['b', 32, 4, 4]);
    expect(
      inferError(() => shape('GroupNormalization', [sym([1, 32, 4, 4]), s, s], { num_groups: 5 })).message,
    ).toBe('32 channels cannot be split into num_groups = 5 equal groups');
    expect(inferError(() => shape('GroupNormalization', [sym([1, 32]), s, s]))).toBeInstanceOf(
      AttributeError,
    );
  });
});

describe('linalg', () => {
  it('MatMul broadcasts batch dims and keeps symbols', () => {
    expect(shape('MatMul', [sym(['b', 'n', 384]), sym([384, 1536])])).toEqual(['b', 'n', 1536]);
    expect(shape('MatMul', [sym(['b', 12, 'n', 64]), sym(['b', 12, 64, 'n'])])).toEqual(['b', 12, 'n', 'n']);
    expect(shape('MatMul', [sym([5]), sym([3, 5, 2])])).toEqual([3, 2]);
    expect(shape('MatMul', [sym([3, 5, 2]), sym([2])])).toEqual([3, 5]);
    expect(inferError(() => shape('MatMul', [sym([2, 3, 4]), sym([5, 4, 1])])).message).toBe(
      'batch dims of A [2, 3, 4] and B [5, 4, 1] do not broadcast',
    );
  });

  it('Gemm', () => {
    expect(shape('Gemm', [sym(['b', 512]), sym([1000, 512]), sym([1000])], { transB: 1 })).toEqual([
      'b',
      1000,
    ]);
    expect(inferError(() => shape('Gemm', [sym([2, 3]), sym([4, 5])])).message).toBe(
      'inner dims differ: A [2, 3] has 3 columns, B [4, 5] has 4 rows',
    );
  });

  it('Einsum with symbolic and ellipsis dims', () => {
    expect(
      shape('Einsum', [sym(['b', 12, 'q', 64]), sym(['b', 12, 'k', 64])], { equation: 'bhqd,bhkd->bhqk' }),
    ).toEqual(['b', 12, 'q', 'k']);
    expect(shape('Einsum', [sym(['b', 3, 4]), sym([4, 5])], { equation: '...ij,jk' })).toEqual(['b', 3, 5]);
    expect(shape('Einsum', [sym([3, 3])], { equation: 'ii' })).toEqual([]);
  });

  it('TopK needs a constant K; CumSum checks a constant axis', () => {
    const outs = infer('TopK', [sym(['b', 100]), c64([5])], {}, 2);
    expect(outs).toEqual([
      { dtype: 'float32', shape: ['b', 5] },
      { dtype: 'int64', shape: ['b', 5] },
    ]);
    expect(inferError(() => infer('TopK', [sym(['b', 100]), sym([1], 'int64')], {}, 2)).message).toBe(
      'K (input 1) must be a constant known at trace time',
    );
    expect(shape('CumSum', [sym(['b', 8]), sym([], 'int32')])).toEqual(['b', 8]);
    expect(inferError(() => shape('CumSum', [sym(['b', 8]), c64([2], [])]))).toBeInstanceOf(AttributeError);
  });
});

describe('errors while tracing name the module path and op', () => {
  it('prefixes the scope', () => {
    const tracer = new Tracer('net');
    let err: unknown;
    tracer.run(() => {
      const x = tracer.input('x', 'float32', ['b', 196, 384]);
      tracer.withScope('blocks', () =>
        tracer.withScope('0', () =>
          tracer.withScope('mlp', () => {
            try {
              tracer.emit('MatMul', [x, Tensor.zeros('float32', [768, 1536])]);
            } catch (e) {
              err = e;
            }
          }),
        ),
      );
    });
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as Error).message).toBe(
      'blocks.0.mlp (MatMul): inner dims differ: A [b, 196, 384] has 384 columns, B [768, 1536] has 768 rows',
    );
  });
});

describe('constant folding of small constant inputs', () => {
  /** A constant input of any dtype. */
  function cv(dtype: DType, values: readonly number[], dims?: readonly number[]): TensorInfo {
    const v = dtype === 'int64' ? values.map((x) => BigInt(x)) : values;
    const t = Tensor.from(dtype, v, dims ?? [values.length]);
    return { dtype, shape: t.dims, value: t };
  }
  const value = (op: string, inputs: TensorInfo[], attrs: Attributes = {}) =>
    infer(op, inputs, attrs)[0]!.value?.toNumbers();

  it('integer arithmetic, comparisons and Where', () => {
    expect(value('Div', [c64([768, -7]), c64([12, 2])])).toEqual([64, -3]);
    expect(value('Mul', [c64([2, 3]), c64([4], [])])).toEqual([8, 12]);
    expect(value('Sub', [c64([5]), c64([7])])).toEqual([-2]);
    expect(value('Max', [c64([1, 9]), c64([4, 4]), c64([0, 10])])).toEqual([4, 10]);
    expect(value('Equal', [c64([1, -1, 3]), c64([-1], [])])).toEqual([0, 1, 0]);
    expect(value('Where', [cv('bool', [1, 0]), c64([1, 2]), c64([-1, -1])])).toEqual([1, -1]);
  });

  it('the Resize-size chain: Cast to float, Mul by a scale, Floor, Cast back', () => {
    const f = infer('Cast', [c64([7, 9])], { to: dtypeToOnnx('float32') })[0]!;
    const scaled = infer('Mul', [f, cv('float32', [1.5], [])])[0]!;
    const floored = infer('Floor', [scaled])[0]!;
    const back = infer('Cast', [floored], { to: dtypeToOnnx('int64') })[0]!;
    expect(back.dtype).toBe('int64');
    expect(back.value?.toNumbers()).toEqual([10, 13]);
  });

  it('integer reductions (ReduceProd of trailing dims)', () => {
    expect(value('ReduceProd', [c64([2, 3, 4]), c64([0])], { keepdims: 0 })).toEqual([24]);
    expect(value('ReduceMax', [c64([2, 9, 4, 1], [2, 2]), c64([1])])).toEqual([9, 4]);
  });

  it('does not fold non-constant inputs, storage casts or values beyond 2^53', () => {
    expect(infer('Add', [c64([1]), sym([1], 'int64')])[0]!.value).toBeUndefined();
    expect(
      infer('Cast', [cv('float32', [1])], { to: dtypeToOnnx('float8e4m3fn') })[0]!.value,
    ).toBeUndefined();
    expect(infer('Mul', [c64([2 ** 40]), c64([2 ** 20])])[0]!.value).toBeUndefined();
    expect(
      infer('Cast', [cv('float32', [Number.NaN])], { to: dtypeToOnnx('int32') })[0]!.value,
    ).toBeUndefined();
  });

  it('lets a traced Reshape read a shape computed from Shape and Div', () => {
    const tracer = new Tracer('heads');
    tracer.run(() => {
      const x = tracer.input('x', 'float32', [2, 197, 768]);
      const [shape] = tracer.emit('Shape', [x]);
      const [c] = tracer.emit('Gather', [shape, Tensor.from('int64', [2n], [1])]);
      const [headDim] = tracer.emit('Div', [c, Tensor.from('int64', [12n], [1])]);
      const [target] = tracer.emit('Concat', [Tensor.from('int64', [2n, 197n, 12n], [3]), headDim], {
        axis: 0,
      });
      const [y] = tracer.emit('Reshape', [x, target]);
      expect(y!.shape).toEqual([2, 197, 12, 64]);
    });
  });
});
