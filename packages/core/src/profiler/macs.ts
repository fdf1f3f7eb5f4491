/**
 * Multiply-accumulate counts per node, counted as the reference data counts them (a PyTorch
 * dispatch counter over convolution and matrix products):
 * - `Conv`: output elements × (C_in / groups) × kernel area;
 * - `ConvTranspose`: input elements × (C_out / groups) × kernel area;
 * - `MatMul` / `Gemm`: M·K·N, batched B·M·K·N (output elements × K);
 * - `Einsum` with two or more operands: output elements × the product of the contracted sizes.
 * Bias adds, normalisation, activations, softmax, pooling, resampling and other elementwise ops
 * count 0.
 * @module
 */
import type { Node } from '../ir/graph.js';

/** Shapes (already numeric) of a node's inputs and outputs; undefined when unknown. */
export interface NodeShapes {
  readonly inputs: readonly (readonly number[] | undefined)[];
  readonly outputs: readonly (readonly number[] | undefined)[];
}

function numel(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

function einsumMacs(equation: string, shapes: NodeShapes): number {
  const [lhs, rhs] = equation.replace(/\s+/g, '').split('->');
  const terms = lhs!.split(',');
  if (terms.length < 2) return 0;
  const sizes = new Map<string, number>();
  terms.forEach((t, i) => {
    const s = shapes.inputs[i];
    if (!s) return;
    const letters = t.replace('...', '');
    const ellipsis = t.includes('...') ? s.length - letters.length : 0;
    const pre = t.indexOf('...') >= 0 ? t.indexOf('...') : letters.length;
    [...letters].forEach((ch, j) => {
      const axis = j < pre ? j : j + ellipsis;
      sizes.set(ch, Math.max(sizes.get(ch) ?? 1, s[axis] ?? 1));
    });
  });
  let outLetters: string;
  if (rhs !== undefined) outLetters = rhs.replace('...', '');
  else {
    const counts = new Map<string, number>();
    for (const ch of lhs!.replace(/[,.]/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    outLetters = [...counts]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .join('');
  }
  const out = shapes.outputs[0];
  if (!out) return 0;
  let contracted = 1;
  for (const [ch, n] of sizes) if (!outLetters.includes(ch)) contracted *= n;
  return numel(out) * contracted;
}

/** MACs of one node (0 for ops that are not counted or whose shapes are unknown). */
export function nodeMacs(node: Node, shapes: NodeShapes): number {
  const out = shapes.outputs[0];
  switch (node.opType) {
    case 'Conv': {
      const w = shapes.inputs[1];
      return out && w ? numel(out) * numel(w.slice(1)) : 0;
    }
    case 'ConvTranspose': {
      const x = shapes.inputs[0];
      const w = shapes.inputs[1];
      return x && w ? numel(x) * numel(w.slice(1)) : 0;
    }
    case 'MatMul': {
      const a = shapes.inputs[0];
      return out && a?.length ? numel(out) * a[a.length - 1]! : 0;
    }
    case 'Gemm': {
      const a = shapes.inputs[0];
      if (!out || !a || a.length !== 2) return 0;
      return numel(out) * (node.attrs.transA ? a[0]! : a[1]!);
    }
    case 'Einsum':
      return typeof node.attrs.equation === 'string' ? einsumMacs(node.attrs.equation, shapes) : 0;
    default:
      return 0;
  }
}

/** Which MAC bucket a node falls in, as the reference data's `macs_breakdown`. */
export function macsKind(node: Node, shapes: NodeShapes): 'conv' | 'mm' | 'bmm' | undefined {
  if (node.opType === 'Conv' || node.opType === 'ConvTranspose') return 'conv';
  if (node.opType === 'Gemm') return 'mm';
  if (node.opType === 'MatMul') {
    // PyTorch runs a matmul with a 2-D right operand (Linear weights) as one mm over the
    // flattened batch; both operands batched is a bmm.
    const b = shapes.inputs[1];
    const a = shapes.inputs[0];
    return b && b.length <= 2 ? 'mm' : a && a.length <= 2 ? 'mm' : 'bmm';
  }
  if (node.opType === 'Einsum') return 'bmm';
  return undefined;
}
