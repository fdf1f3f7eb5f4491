/**
 * Graph preparation shared by the onnxruntime-based backends: small, semantics-preserving
 * rewrites that let onnxruntime run graphs it would otherwise reject. The caller's graph is
 * never modified; a shallow copy with replaced nodes is returned.
 * @module
 */
import type { Dim, Graph, Node } from '../ir/graph.js';

/** One rewrite {@link prepareGraphForOrt} applied. */
export interface OrtRewrite {
  readonly node: string;
  readonly what: string;
}

/** A graph ready for ONNX serialisation and the list of rewrites that made it so. */
export interface PreparedOrtGraph {
  readonly graph: Graph;
  readonly rewrites: readonly OrtRewrite[];
}

/**
 * Prepares `graph` for onnxruntime (the opset is the exporter's business, see `exportOpset`):
 * - **explicit pads for dilated `SAME_*` convolutions**: onnxruntime rejects `auto_pad` SAME_UPPER /
 *   SAME_LOWER together with dilations > 1, so when the input's spatial dims are static the pads
 *   are computed here as ONNX defines them and written explicitly.
 */
export function prepareGraphForOrt(graph: Graph): PreparedOrtGraph {
  const rewrites: OrtRewrite[] = [];
  const nodes = graph.nodes.map((n) => {
    const lowered = n.opType === 'Conv' ? explicitSamePads(graph, n) : undefined;
    if (!lowered) return n;
    rewrites.push({ node: n.name, what: `auto_pad ${n.attrs.auto_pad} → pads [${lowered.pads.join(', ')}]` });
    return lowered.node;
  });
  if (!rewrites.length) return { graph, rewrites };
  return { graph: { ...graph, nodes }, rewrites };
}

function shapeOf(graph: Graph, name: string): readonly Dim[] | undefined {
  return (
    graph.valueInfo.get(name)?.shape ??
    graph.inputs.find((i) => i.name === name)?.shape ??
    graph.initializers.get(name)?.dims
  );
}

function explicitSamePads(graph: Graph, n: Node): { node: Node; pads: number[] } | undefined {
  const autoPad = n.attrs.auto_pad;
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') return undefined;
  const dilations = n.attrs.dilations as readonly number[] | undefined;
  if (!dilations?.some((d) => d !== 1)) return undefined;
  const x = shapeOf(graph, n.inputs[0]!);
  const w = shapeOf(graph, n.inputs[1]!);
  if (!x || !w) return undefined;
  const spatial = x.slice(2);
  const kernel = (n.attrs.kernel_shape as readonly number[] | undefined) ?? (w.slice(2) as readonly Dim[]);
  if (![...spatial, ...kernel].every((d) => typeof d === 'number')) return undefined;
  const strides = (n.attrs.strides as readonly number[] | undefined) ?? spatial.map(() => 1);
  const begin: number[] = [];
  const end: number[] = [];
  spatial.forEach((d, i) => {
    const size = d as number;
    const k = ((kernel[i] as number) - 1) * dilations[i]! + 1;
    const out = Math.ceil(size / strides[i]!);
    const total = Math.max(0, (out - 1) * strides[i]! + k - size);
    // ONNX: SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning.
    const small = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
    end.push(autoPad === 'SAME_UPPER' ? total - small : small);
  });
  const pads = [...begin, ...end];
  const { auto_pad: _drop, ...rest } = n.attrs;
  return { node: { ...n, attrs: { ...rest, pads } }, pads };
}
