// The transpose pass and dead-code elimination on hand-built graphs: transpose counts after the
// pass, and outputs (reference interpreter) against values computed by hand in the test.
import { interpret } from '@ocular/backend-reference';
import { type Graph, Tensor, Tracer } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { foldPadsIntoConv, optimizeTransposes, pruneGraph } from '../src/index.js';

const X = Tensor.from('float32', [-1, 2, -3, 4, -5, 6], [1, 2, 3]);

/** x[0, i, j] for the [1, 2, 3] input, transposed by hand to [1, 3, 2] (perm [0, 2, 1]). */
const XT = [-1, 4, 2, -5, -3, 6];

function build(fn: (t: Tracer) => void): Graph {
  const t = new Tracer('g');
  fn(t);
  return t.graph;
}

const count = (g: Graph, op: string) => g.nodes.filter((n) => n.opType === op).length;

describe('optimizeTransposes', () => {
  it('cancels a transpose pair around a unary op', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 2, 3]);
      const a = t.emit('Transpose', [x], { perm: [0, 2, 1] })[0]!;
      const r = t.emit('Relu', [a])[0]!;
      t.output('y', t.emit('Transpose', [r], { perm: [0, 2, 1] })[0]!);
    });
    const res = optimizeTransposes(g);
    pruneGraph(g);
    expect([res.before, res.after, count(g, 'Transpose')]).toEqual([2, 0, 0]);
    expect(interpret(g, { x: X }).y!.toNumbers()).toEqual([0, 2, 0, 4, 0, 6]);
  });

  it('moves a transpose below an op with a constant operand, transposing the constant once', () => {
    const c = Tensor.from('float32', [10, 20, 30], [1, 3, 1]);
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 2, 3]);
      const a = t.emit('Transpose', [x], { perm: [0, 2, 1] })[0]!;
      const s = t.emit('Add', [a, c])[0]!;
      t.output('y', t.emit('Transpose', [s], { perm: [0, 2, 1] })[0]!);
    });
    const res = optimizeTransposes(g);
    pruneGraph(g);
    expect(res.after).toBe(0);
    expect(res.rewrites['push-down']).toBe(1);
    // y[0, i, j] = x[0, i, j] + c[j].
    expect(interpret(g, { x: X }).y!.toNumbers()).toEqual([9, 22, 27, 14, 15, 36]);
  });

  it('merges consecutive transposes into one and folds a transposed initializer', () => {
    const w = Tensor.from('float32', [1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const g = build((t) => {
      const x = t.input('x', 'float32', [2, 3, 2]);
      const a = t.emit('Transpose', [x], { perm: [0, 2, 1] })[0]!;
      const b = t.emit('Transpose', [a], { perm: [2, 1, 0] })[0]!;
      t.output('y', b);
      t.output('wt', t.emit('Transpose', [w], { perm: [0, 2, 1] })[0]!);
    });
    const res = optimizeTransposes(g);
    expect(res.rewrites.merge).toBe(1);
    expect(res.rewrites['fold-constant']).toBe(1);
    expect(count(g, 'Transpose')).toBe(1);
    // perm [0,2,1] then [2,1,0] is perm [1,2,0]: y[j, k, i] = x[i, j, k].
    expect(g.nodes.find((n) => n.opType === 'Transpose')?.attrs.perm).toEqual([1, 2, 0]);
    const x = Tensor.from('float32', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const out = interpret(g, { x });
    expect([...out.y!.dims]).toEqual([3, 2, 2]);
    expect(out.y!.toNumbers()).toEqual([0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11]);
    expect(out.wt!.toNumbers()).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('turns a transpose that only moves size-1 axes into a Reshape', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 6, 1]);
      t.output('y', t.emit('Transpose', [x], { perm: [2, 0, 1] })[0]!);
    });
    optimizeTransposes(g);
    expect([count(g, 'Transpose'), count(g, 'Reshape')]).toEqual([0, 1]);
    const x = Tensor.from('float32', [1, 2, 3, 4, 5, 6], [1, 6, 1]);
    const y = interpret(g, { x }).y!;
    expect([...y.dims]).toEqual([1, 1, 6]);
    expect(y.toNumbers()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps a transpose whose other operand is computed, and a graph-output transpose', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 2, 3]);
      const z = t.input('z', 'float32', [1, 3, 2]);
      const a = t.emit('Transpose', [x], { perm: [0, 2, 1] })[0]!;
      t.output('y', t.emit('Mul', [a, z])[0]!);
    });
    const res = optimizeTransposes(g);
    expect(res.after).toBe(1);
    const z = Tensor.from('float32', [1, 1, 2, 2, 3, 3], [1, 3, 2]);
    expect(interpret(g, { x: X, z }).y!.toNumbers()).toEqual(XT.map((v, i) => v * z.toNumbers()[i]!));
  });
});

describe('pruneGraph', () => {
  it('drops nodes and initializers no output needs', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [2]);
      t.emit('Mul', [x, Tensor.from('float32', [3, 3])]);
      t.output('y', t.emit('Relu', [x])[0]!);
    });
    expect(pruneGraph(g)).toEqual({ nodes: 1, initializers: 1 });
    expect(g.nodes.map((n) => n.opType)).toEqual(['Relu']);
    expect(g.initializers.size).toBe(0);
  });
});

describe('foldPadsIntoConv', () => {
  it('moves zero padding into the Conv pads (1×1 kernel of weight 2: hand-computed border of zeros)', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 1, 2, 2]);
      const p = t.emit('Pad', [x, Tensor.from('int64', [0n, 0n, 1n, 0n, 0n, 0n, 0n, 1n])])[0]!;
      const w = Tensor.from('float32', [2], [1, 1, 1, 1]);
      t.output('y', t.emit('Conv', [p, w], { kernel_shape: [1, 1], pads: [0, 0, 0, 0] })[0]!);
    });
    expect(foldPadsIntoConv(g)).toBe(1);
    pruneGraph(g);
    expect(g.nodes.map((n) => n.opType)).toEqual(['Conv']);
    expect(g.nodes[0]!.attrs.pads).toEqual([1, 0, 0, 1]);
    const y = interpret(g, { x: Tensor.from('float32', [1, 2, 3, 4], [1, 1, 2, 2]) }).y!;
    expect([...y.dims]).toEqual([1, 1, 3, 3]);
    expect(y.toNumbers()).toEqual([0, 0, 0, 2, 4, 0, 6, 8, 0]);
  });

  it('leaves non-zero padding alone', () => {
    const g = build((t) => {
      const x = t.input('x', 'float32', [1, 1, 2, 2]);
      const pads = Tensor.from('int64', [0n, 0n, 1n, 1n, 0n, 0n, 1n, 1n]);
      const p = t.emit('Pad', [x, pads, Tensor.scalar('float32', 1)])[0]!;
      const w = Tensor.from('float32', [2], [1, 1, 1, 1]);
      t.output('y', t.emit('Conv', [p, w], { kernel_shape: [1, 1] })[0]!);
    });
    expect(foldPadsIntoConv(g)).toBe(0);
  });
});
