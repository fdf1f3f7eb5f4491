import { BackendError, type DType, type Graph, Tensor, Tracer } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { NODE_KERNEL_GAPS, NODE_MAX_OPSET, nodeBackend } from '../src/index.js';

function binary(op: string, a: DType, b: DType = a, opset = 18): Graph {
  const t = new Tracer(`${op}_${a}_${b}`, opset);
  t.run(() => t.output('y', t.emit(op, [t.input('x', a, [2, 3]), t.input('z', b, [2, 3])])[0]!));
  return t.graph;
}

function where(dtype: DType): Graph {
  const t = new Tracer(`where_${dtype}`);
  t.run(() =>
    t.output(
      'y',
      t.emit('Where', [t.input('c', 'bool', [3]), t.input('x', dtype, [3]), t.input('z', dtype, [3])])[0]!,
    ),
  );
  return t.graph;
}

function reduceSum(dtype: DType): Graph {
  const t = new Tracer(`reducesum_${dtype}`);
  t.run(() =>
    t.output('y', t.emit('ReduceSum', [t.input('x', dtype, [2, 3]), Tensor.from('int64', [1n])])[0]!),
  );
  return t.graph;
}

async function compiles(graph: Graph): Promise<boolean> {
  try {
    const s = await nodeBackend.compile(graph);
    await s.dispose();
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(BackendError);
    return false;
  }
}

describe('node backend kernel gaps', () => {
  it('names representative gaps in checkGraph, and onnxruntime really refuses them', async () => {
    for (const g of [
      binary('Max', 'int16'),
      binary('Pow', 'float32', 'uint8'),
      where('int8'),
      reduceSum('uint32'),
    ]) {
      expect(nodeBackend.checkGraph!(g), g.name).toMatch(/has no kernel for this dtype/);
      expect(await compiles(g), g.name).toBe(false);
    }
  });

  it('does not over-reach: the same ops on other dtypes pass checkGraph and compile', async () => {
    for (const g of [
      binary('Max', 'int32'),
      binary('Pow', 'float32', 'int64'),
      where('int32'),
      reduceSum('int64'),
    ]) {
      expect(nodeBackend.checkGraph!(g), g.name).toBeUndefined();
      expect(await compiles(g), g.name).toBe(true);
    }
  });

  it('refuses opsets newer than onnxruntime knows, and I/O dtypes it cannot carry', () => {
    expect(nodeBackend.checkGraph!(binary('Add', 'float32', 'float32', NODE_MAX_OPSET + 1))).toMatch(
      new RegExp(`opset ${NODE_MAX_OPSET + 1} is newer`),
    );
    expect(nodeBackend.checkGraph!(binary('Add', 'bfloat16'))).toMatch(/graph input 'x' has dtype bfloat16/);
  });

  it('every gap names an op and a reason', () => {
    for (const g of NODE_KERNEL_GAPS) {
      expect(g.opType).toMatch(/^[A-Z]/);
      expect(g.reason.length).toBeGreaterThan(20);
      expect(g.dtypes?.length || g.minOpset).toBeTruthy();
    }
  });
});
