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
 * The lowest default-domain opset at which onnxruntime runs `node` with the semantics the Ocular IR
 * gives it, when that is newer than the opset-17/18 baseline a traced graph declares. Only ops
 * whose IR form is new or changed after opset 18 are listed; for the others a graph's own opset
 * is right, which keeps imported graphs that use older forms (e.g. ReduceMean's `axes`
 * attribute at opset 17) valid.
 */
export function ortMinOpset(node: Node): number {
  switch (node.opType) {
    case 'DeformConv':
      return 19; // new in 19
    case 'AveragePool':
      return (node.attrs.dilations as readonly number[] | undefined)?.some((d) => d !== 1) ? 19 : 0; // dilations: 19
    case 'Resize':
      return node.attrs.coordinate_transformation_mode === 'half_pixel_symmetric' ? 19 : 0;
    case 'Gelu':
      return 20; // new in 20
    case 'GridSample':
      return 20; // 20 renamed the modes to linear / cubic and allows N-D
    case 'GroupNormalization':
      return 21; // 21 scales and shifts per channel (18: per group)
    case 'Cast':
    case 'CastLike':
      return castTargetOpset(node);
    default:
      return 0;
  }
}

/** Cast to a newer storage dtype needs the opset that added the dtype. */
function castTargetOpset(node: Node): number {
  const to = node.opType === 'Cast' ? (node.attrs.to as number | undefined) : undefined;
  switch (to) {
    case 17: // float8e4m3fn
    case 18: // float8e4m3fnuz
    case 19: // float8e5m2
    case 20: // float8e5m2fnuz
      return 19;
    case 21: // uint4
    case 22: // int4
      return 21;
    case 23: // float4e2m1
      return 23;
    case 24: // float8e8m0
      return 24;
    case 25: // uint2
    case 26: // int2
      return 25;
    default:
      return 0;
  }
}

/**
 * Prepares `graph` for onnxruntime:
 * - **opset**: raised to the lowest one at which onnxruntime gives every node its IR semantics
 *   ({@link ortMinOpset}): a traced graph declares opset 18, but GroupNormalization follows 21
 *   and DeformConv only exists from 19.
 * - **explicit pads for dilated `SAME_*` convolutions**: onnxruntime rejects `auto_pad` SAME_UPPER /
 *   SAME_LOWER together with dilations > 1, so when the input's spatial dims are static the pads
 *   are computed here as ONNX defines them and written explicitly.
 */
export function prepareGraphForOrt(graph: Graph): PreparedOrtGraph {
  const rewrites: OrtRewrite[] = [];
  let opset = graph.opset;
  for (const n of graph.nodes) {
    if (n.domain && n.domain !== 'ai.onnx') continue;
    opset = Math.max(opset, ortMinOpset(n));
  }
  if (opset !== graph.opset) rewrites.push({ node: '', what: `opset ${graph.opset} → ${opset}` });
  const nodes = graph.nodes.map((n) => {
    const lowered = n.opType === 'Conv' ? explicitSamePads(graph, n) : undefined;
    if (!lowered) return n;
    rewrites.push({ node: n.name, what: `auto_pad ${n.attrs.auto_pad} → pads [${lowered.pads.join(', ')}]` });
    return lowered.node;
  });
  if (!rewrites.length) return { graph, rewrites };
  return { graph: { ...graph, opset, nodes }, rewrites };
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
