/**
 * Shape inference of the shape and indexing ops, with symbolic dims, constant folding and the
 * errors tracing reports.
 */
import { describe, expect, it } from 'vitest';
import { NotImplementedError, ShapeError, type SymbolicTensor, Tensor, Tracer } from '../src/index.js';
import { c64, infer, shapes, sym } from './infer-helpers.js';

describe('Reshape', () => {
  it('keeps a copied symbolic batch and infers the rest', () => {
    expect(shapes('Reshape', [sym(['batch', 3, 4]), c64([0, -1])])).toEqual([['batch', 12]]);
  });
  it('folds symbolic dims into an inferred -1 and cancels them again', () => {
    expect(shapes('Reshape', [sym(['batch', 3, 4]), c64([-1, 4])])).toEqual([['batch*3', 4]]);
    expect(shapes('Reshape', [sym(['batch*3', 4]), c64([-1, 3, 4])])).toEqual([['batch', 3, 4]]);
    expect(shapes('Reshape', [sym(['b', 'h', 8]), c64([0, 0, 2, -1])])).toEqual([['b', 'h', 2, 4]]);
  });
  it('refuses to drop a symbolic dim into a static shape', () => {
    expect(() => infer('Reshape', [sym(['batch', 3]), c64([3, 1])])).toThrow(/must be kept with 0 or -1/);
  });
  it('explains a wrong element count', () => {
    expect(() => infer('Reshape', [sym([2, 3, 4]), c64([5, -1])])).toThrow(
      'cannot reshape [2, 3, 4] (24 elements) into [5, -1]',
    );
    expect(() => infer('Reshape', [sym([2, 3]), c64([0, -1, 0])], { allowzero: 1 })).toThrow(/allowzero/);
  });
  it('needs the shape at trace time', () => {
    expect(() => infer('Reshape', [sym([2, 3]), sym([2], 'int64')])).toThrow(/constant known at trace time/);
  });
});

describe('permuting and flattening', () => {
  it('Transpose permutes symbolic dims', () => {
    expect(shapes('Transpose', [sym(['batch', 3, 'h', 'w'])], { perm: [0, 2, 3, 1] })).toEqual([
      ['batch', 'h', 'w', 3],
    ]);
    expect(shapes('Transpose', [sym(['n', 2, 5])])).toEqual([[5, 2, 'n']]);
  });
  it('Flatten gives symbolic products', () => {
    const x = sym(['batch', 3, 4]);
    expect(shapes('Flatten', [x])).toEqual([['batch', 12]]);
    expect(shapes('Flatten', [x], { axis: 2 })).toEqual([['batch*3', 4]]);
    expect(shapes('Flatten', [x], { axis: 0 })).toEqual([[1, 'batch*12']]);
    expect(shapes('Flatten', [x], { axis: -3 })).toEqual([[1, 'batch*12']]);
  });
  it('Squeeze and Unsqueeze around a symbolic batch', () => {
    expect(shapes('Squeeze', [sym(['batch', 1, 4]), c64([1])])).toEqual([['batch', 4]]);
    expect(() => infer('Squeeze', [sym(['batch', 1, 4])])).toThrow(/needs a static shape/);
    expect(shapes('Unsqueeze', [sym(['batch', 4]), c64([1, -1])])).toEqual([['batch', 1, 4, 1]]);
  });
  it('DepthToSpace / SpaceToDepth keep batch symbolic', () => {
    expect(shapes('DepthToSpace', [sym(['n', 8, 'h', 3])], { blocksize: 2 })).toEqual([['n', 2, 'h*2', 6]]);
    expect(shapes('SpaceToDepth', [sym(['n', 3, 4, 6])], { blocksize: 2 })).toEqual([['n', 12, 2, 3]]);
    expect(() => infer('SpaceToDepth', [sym(['n', 3, 'h', 6])], { blocksize: 2 })).toThrow(/must be static/);
  });
});

describe('joining and splitting', () => {
  it('Concat along a static axis keeps the symbolic batch', () => {
    expect(shapes('Concat', [sym(['batch', 3, 8]), sym(['batch', 5, 8])], { axis: 1 })).toEqual([
      ['batch', 8, 8],
    ]);
    expect(shapes('Concat', [sym(['a', 3]), sym(['b', 3]), sym([2, 3])], { axis: 0 })).toEqual([
      ['a+b+2', 3],
    ]);
    expect(() => infer('Concat', [sym([2, 3]), sym([2, 4])], { axis: 0 })).toThrow(ShapeError);
  });
  it('Split makes one output per part', () => {
    expect(shapes('Split', [sym(['batch', 10]), c64([3, 7])], { axis: -1 }, 2)).toEqual([
      ['batch', 3],
      ['batch', 7],
    ]);
    expect(shapes('Split', [sym(['batch', 10])], { axis: 1, num_outputs: 3 }, 3)).toEqual([
      ['batch', 4],
      ['batch', 4],
      ['batch', 2],
    ]);
    expect(shapes('Split', [sym([6])], {}, 3)).toEqual([[2], [2], [2]]);
    expect(() => infer('Split', [sym(['batch', 10])], { axis: 0 }, 2)).toThrow(/must be static/);
    expect(() => infer('Split', [sym([4]), c64([1, 3])], {}, 3)).toThrow(/3 outputs/);
  });
  it('Expand and Tile', () => {
    expect(shapes('Expand', [sym(['batch', 1, 4]), c64([3, 1])])).toEqual([['batch', 3, 4]]);
    expect(shapes('Expand', [sym([3]), c64([2, 1, 1])])).toEqual([[2, 1, 3]]);
    expect(shapes('Tile', [sym(['batch', 2]), c64([2, 3])])).toEqual([['batch*2', 6]]);
    expect(shapes('Tile', [sym(['batch', 2]), c64([1, 0])])).toEqual([['batch', 0]]);
  });
});

describe('indexing', () => {
  it('Slice keeps a full symbolic slice and computes static ones', () => {
    const x = sym(['batch', 10, 6]);
    const ends = Tensor.from('int64', [9223372036854775807n, 8n]);
    const r = shapes('Slice', [x, c64([0, -5]), { dtype: 'int64', shape: [2], value: ends }, c64([0, 1])]);
    expect(r).toEqual([['batch', 3, 6]]);
    expect(shapes('Slice', [x, c64([5]), c64([-100]), c64([2]), c64([-2])])).toEqual([['batch', 10, 3]]);
    expect(() => infer('Slice', [x, c64([1]), c64([3])])).toThrow(/only a full slice of a symbolic dim/);
  });
  it('Gather, GatherElements, GatherND', () => {
    expect(shapes('Gather', [sym(['batch', 5, 7]), sym([2, 3], 'int64')], { axis: 1 })).toEqual([
      ['batch', 2, 3, 7],
    ]);
    expect(shapes('Gather', [sym(['batch', 5]), sym([], 'int32')], { axis: -1 })).toEqual([['batch']]);
    expect(() => infer('Gather', [sym([5]), sym([2], 'float32')])).toThrow(/indices must be one of/);
    expect(shapes('GatherElements', [sym([3, 4]), sym([2, 4], 'int64')])).toEqual([[2, 4]]);
    expect(shapes('GatherND', [sym([2, 3, 4]), sym([5, 2], 'int64')])).toEqual([[5, 4]]);
    expect(shapes('GatherND', [sym([2, 3, 4]), sym([2, 1], 'int64')], { batch_dims: 1 })).toEqual([[2, 4]]);
    expect(() => infer('GatherND', [sym([2, 3]), sym([2, 3], 'int64')])).toThrow(/indices address 3 axes/);
  });
  it('Scatter ops keep the data shape and check updates', () => {
    expect(
      shapes('ScatterElements', [sym(['b', 4]), sym(['b', 2], 'int64'), sym(['b', 2])], { axis: 1 }),
    ).toEqual([['b', 4]]);
    expect(shapes('ScatterND', [sym([4, 5]), sym([3, 1], 'int64'), sym([3, 5])])).toEqual([[4, 5]]);
    expect(() => infer('ScatterND', [sym([4, 5]), sym([3, 1], 'int64'), sym([3, 4])])).toThrow(
      /updates has shape/,
    );
  });
  it('Pad with axes on symbolic dims', () => {
    expect(shapes('Pad', [sym(['n', 3, 'h', 'w']), c64([1, 1, 2, 2]), undefined, c64([2, 3])])).toEqual([
      ['n', 3, 'h+3', 'w+3'],
    ]);
    expect(shapes('Pad', [sym([4, 5]), c64([0, -1, 0, -1])], { mode: 'reflect' })).toEqual([[4, 3]]);
    expect(() => infer('Pad', [sym([4, 5]), c64([1, 1])])).toThrow(/pads has 2 entries/);
  });
  it('OneHot and NonZero', () => {
    const depth = { dtype: 'int64' as const, shape: [], value: Tensor.scalar('int64', 10n) };
    expect(shapes('OneHot', [sym(['b', 3], 'int64'), depth, sym([2])], { axis: 1 })).toEqual([['b', 10, 3]]);
    expect(shapes('NonZero', [sym([2, 3])])).toEqual([[2, 'nonzero']]);
    const known = Tensor.from('int32', [0, 5, 0, 7], [2, 2]);
    const nz = infer('NonZero', [{ dtype: 'int32', shape: [2, 2], value: known }])[0]!;
    expect(nz.shape).toEqual([2, 2]);
    expect(nz.value?.toNumbers()).toEqual([0, 1, 1, 1]);
  });
});

describe('Shape, Size, Constant and folding', () => {
  it('Shape folds static dims only', () => {
    const full = infer('Shape', [sym([2, 3, 4])])[0]!;
    expect(full.dtype).toBe('int64');
    expect(full.value?.toNumbers()).toEqual([2, 3, 4]);
    expect(infer('Shape', [sym(['batch', 3])])[0]!.value).toBeUndefined();
    expect(infer('Shape', [sym(['batch', 3, 4])], { start: 1 })[0]!.value?.toNumbers()).toEqual([3, 4]);
    expect(infer('Size', [sym([2, 3])])[0]!.value?.toNumbers()).toEqual([6]);
    expect(infer('Size', [sym(['b', 3])])[0]!.value).toBeUndefined();
  });
  it('Constant and ConstantOfShape carry values', () => {
    expect(infer('Constant', [], { value_ints: [1, 2] })[0]!.value?.toNumbers()).toEqual([1, 2]);
    const c = infer('ConstantOfShape', [c64([2])], { value: Tensor.from('int32', [7], [1]) })[0]!;
    expect(c.dtype).toBe('int32');
    expect(c.value?.toNumbers()).toEqual([7, 7]);
    expect(() => infer('ConstantOfShape', [c64([1 << 30, 1 << 30])])).toThrow(/limit/);
  });
  it('Range needs constants and bounds its size', () => {
    const s = (v: number) => ({ dtype: 'float32' as const, shape: [], value: Tensor.scalar('float32', v) });
    expect(shapes('Range', [s(0), s(1), s(0.25)])).toEqual([[4]]);
    expect(() => infer('Range', [s(0), sym([], 'float32'), s(1)])).toThrow(/constant known at trace time/);
    expect(() => infer('Range', [s(0), s(1e15), s(1)])).toThrow(ShapeError);
  });
  it('Dropout at trace time', () => {
    const train = { dtype: 'bool' as const, shape: [], value: Tensor.scalar('bool', true) };
    const ratio = { dtype: 'float32' as const, shape: [], value: Tensor.scalar('float32', 0.1) };
    expect(() => infer('Dropout', [sym([2]), ratio, train])).toThrow(NotImplementedError);
    expect(infer('Dropout', [sym(['b', 2])], {}, 2).map((o) => [o.dtype, o.shape])).toEqual([
      ['float32', ['b', 2]],
      ['bool', ['b', 2]],
    ]);
  });
});

describe('tracing', () => {
  it('folds a Shape → Gather → Unsqueeze → Concat chain into a Reshape target', () => {
    const t = new Tracer();
    let y: SymbolicTensor | undefined;
    t.run(() => {
      const x = t.input('x', 'float32', ['batch', 3, 4, 5]);
      const [s] = t.emit('Shape', [x], { start: 1 });
      const [c] = t.emit('Gather', [s!, Tensor.scalar('int64', 0n)]);
      const [u] = t.emit('Unsqueeze', [c!, Tensor.from('int64', [0n])]);
      const [target] = t.emit('Concat', [Tensor.from('int64', [0n]), u!, Tensor.from('int64', [-1n])], {
        axis: 0,
      });
      expect(target!.value?.toNumbers()).toEqual([0, 3, -1]);
      [y] = t.emit('Reshape', [x, target!]);
      t.output('y', y!);
    });
    expect(y!.shape).toEqual(['batch', 3, 20]);
    expect(t.graph.outputs[0]!.shape).toEqual(['batch', 3, 20]);
  });
  it('Split emits one output per part', () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', 'float32', ['batch', 6]);
      const parts = t.emit('Split', [x, Tensor.from('int64', [1n, 2n, 3n])], { axis: 1 });
      expect(parts.map((p) => p.shape)).toEqual([
        ['batch', 1],
        ['batch', 2],
        ['batch', 3],
      ]);
    });
  });
  it('names the module path and op in errors', () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', 'float32', [2, 3, 4]);
      expect(() =>
        t.withScope('head', () => t.emit('Reshape', [x, Tensor.from('int64', [5n, -1n])])),
      ).toThrow('head (Reshape): cannot reshape [2, 3, 4] (24 elements) into [5, -1]');
    });
  });
});
