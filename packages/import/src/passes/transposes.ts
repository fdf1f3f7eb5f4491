/**
 * Transpose removal on an Ocular graph. Rules, applied until nothing changes:
 * - a Transpose of an initializer becomes a transposed initializer;
 * - an identity Transpose disappears, and two Transposes in a row become one (or none);
 * - a Transpose that only moves size-1 axes becomes a Reshape (same memory order);
 * - a Transpose feeding only a unary or elementwise op whose other inputs are constants (or
 *   broadcast the same in every layout) moves below that op, constants transposed once, so it
 *   can meet and cancel the next Transpose.
 * @module
 */
import { type Graph, type Node, Tensor } from '@ocular/core';
import {
  composePerms,
  invertPerm,
  isIdentity,
  isMemoryOrderPreserving,
  permuteDims,
  transposeTensor,
} from '../tfjs-graph/layout.js';
import { pruneGraph } from './prune.js';

/** What {@link optimizeTransposes} did. */
export interface TransposeOptimizeResult {
  /** Transpose nodes before and after. */
  readonly before: number;
  readonly after: number;
  /** Rewrites applied, by rule. */
  readonly rewrites: Readonly<Record<string, number>>;
}

/** Ops computed elementwise, where a common input permutation commutes with the op. */
const ELEMENTWISE = new Set([
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Elu',
  'Selu',
  'Softplus',
  'HardSigmoid',
  'HardSwish',
  'Clip',
  'Exp',
  'Log',
  'Sqrt',
  'Neg',
  'Abs',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Erf',
  'Not',
  'Cast',
  'Identity',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'And',
  'Or',
  'Xor',
  'Where',
  'PRelu',
]);
/** Inputs of these ops that are parameters rather than elementwise operands. */
const SCALAR_PARAMS: Readonly<Record<string, readonly number[]>> = { Clip: [1, 2] };

function permOf(n: Node): number[] {
  return [...((n.attrs.perm as readonly number[] | undefined) ?? [])];
}

function countTransposes(g: Graph): number {
  return g.nodes.filter((n) => n.opType === 'Transpose').length;
}

/** Runs the rules in place; see the module doc. */
export function optimizeTransposes(graph: Graph): TransposeOptimizeResult {
  const before = countTransposes(graph);
  const rewrites: Record<string, number> = {};
  const hit = (rule: string) => {
    rewrites[rule] = (rewrites[rule] ?? 0) + 1;
  };
  let counter = 0;
  const fresh = (base: string) => {
    let name = `${base}_t${counter++}`;
    while (graph.valueInfo.has(name) || graph.initializers.has(name)) name = `${base}_t${counter++}`;
    return name;
  };
  const graphOutputs = () => new Set(graph.outputs.map((o) => o.name));
  const shapeOf = (name: string): readonly (number | string)[] | undefined =>
    graph.initializers.get(name)?.dims ??
    graph.valueInfo.get(name)?.shape ??
    graph.inputs.find((i) => i.name === name)?.shape;
  /** Replaces every use of `from` with `to` (not graph outputs). */
  const rewire = (from: string, to: string) => {
    graph.nodes = graph.nodes.map((n) =>
      n.inputs.includes(from) ? { ...n, inputs: n.inputs.map((i) => (i === from ? to : i)) } : n,
    );
  };
  const consumers = (name: string) => graph.nodes.filter((n) => n.inputs.includes(name));
  /**
   * Makes the node producing `x` produce the graph output `y` instead (consumers of `x` follow),
   * so an identity Transpose in front of an output can go (`x` must be a node output that is not
   * itself a graph output).
   */
  const renameInto = (x: string, y: string): void => {
    const producer = graph.nodes.findIndex((n) => n.outputs.includes(x));
    const p = graph.nodes[producer]!;
    graph.nodes[producer] = { ...p, outputs: p.outputs.map((o) => (o === x ? y : o)) };
    rewire(x, y);
    const info = graph.valueInfo.get(x);
    if (info) {
      graph.valueInfo.delete(x);
      graph.valueInfo.set(y, { ...info, name: y });
    }
  };

  let changed = true;
  while (changed) {
    changed = false;
    const outs = graphOutputs();
    for (let i = 0; i < graph.nodes.length && !changed; i++) {
      const t = graph.nodes[i]!;
      if (t.opType !== 'Transpose') continue;
      const x = t.inputs[0]!;
      const y = t.outputs[0]!;
      const perm = permOf(t);
      const init = graph.initializers.get(x);
      if (init) {
        graph.initializers.set(y, transposeTensor(init, perm));
        graph.nodes.splice(i, 1);
        hit('fold-constant');
        changed = true;
        break;
      }
      if (isIdentity(perm)) {
        const producesX = graph.nodes.some((n) => n.outputs.includes(x));
        if (outs.has(y) && (!producesX || outs.has(x))) continue;
        graph.nodes.splice(i, 1);
        if (outs.has(y)) renameInto(x, y);
        else rewire(y, x);
        hit('identity');
        changed = true;
        break;
      }
      const producer = graph.nodes.find((n) => n.outputs.includes(x));
      if (producer?.opType === 'Transpose') {
        const merged = composePerms(permOf(producer), perm);
        graph.nodes[i] = { ...t, inputs: [producer.inputs[0]!], attrs: { perm: merged } };
        hit('merge');
        changed = true;
        break;
      }
      const dims = shapeOf(x);
      if (dims?.every((d) => typeof d === 'number') && isMemoryOrderPreserving(dims, perm)) {
        const shape = Tensor.from(
          'int64',
          permuteDims(dims as number[], perm).map((d) => BigInt(d)),
        );
        const shapeName = fresh(`${t.name}_shape`);
        graph.initializers.set(shapeName, shape);
        graph.nodes[i] = { ...t, opType: 'Reshape', inputs: [x, shapeName], attrs: {} };
        hit('to-reshape');
        changed = true;
        break;
      }
      // Push below a sole elementwise consumer.
      const users = consumers(y);
      if (users.length !== 1 || outs.has(y)) continue;
      const e = users[0]!;
      if (!ELEMENTWISE.has(e.opType) || e.outputs.length !== 1) continue;
      const rank = perm.length;
      const inv = invertPerm(perm);
      const newInputs: string[] = [];
      let ok = true;
      const newInits: [string, Tensor][] = [];
      e.inputs.forEach((inp, k) => {
        if (!ok) return;
        if (inp === y) newInputs.push(x);
        else if (inp === '' || SCALAR_PARAMS[e.opType]?.includes(k)) newInputs.push(inp);
        else {
          const c = graph.initializers.get(inp);
          const d = shapeOf(inp);
          if (d?.every((v) => v === 1)) newInputs.push(inp);
          else if (c && c.dims.length <= rank) {
            const padded = new Tensor(c.dtype, c.data, [
              ...new Array<number>(rank - c.dims.length).fill(1),
              ...c.dims,
            ]);
            const name = fresh(inp);
            newInits.push([name, transposeTensor(padded, inv)]);
            newInputs.push(name);
          } else ok = false;
        }
      });
      if (!ok) continue;
      const eOut = e.outputs[0]!;
      const outInfo = graph.valueInfo.get(eOut);
      const mid = fresh(eOut);
      for (const [n, c] of newInits) graph.initializers.set(n, c);
      if (outInfo)
        graph.valueInfo.set(mid, { ...outInfo, name: mid, shape: permuteDims(outInfo.shape, inv) });
      const ei = graph.nodes.indexOf(e);
      graph.nodes[ei] = { ...e, inputs: newInputs, outputs: [mid] };
      graph.nodes.splice(ei + 1, 0, { ...t, name: `${t.name}_moved`, inputs: [mid], outputs: [eOut] });
      graph.nodes.splice(i, 1);
      graph.valueInfo.delete(y);
      hit('push-down');
      changed = true;
    }
  }
  pruneGraph(graph);
  return { before, after: countTransposes(graph), rewrites };
}
