/**
 * Which default-domain opset an exported graph must declare. A traced graph declares opset 18,
 * but a few IR ops follow semantics that only newer opsets define (Gelu exists from 20,
 * GroupNormalization scales per channel from 21, Cast to float8 needs 19). Declaring the older
 * number would make the file invalid or change its meaning for every ONNX consumer, not just
 * one runtime, so the exporter raises the opset itself. Ops whose IR form already exists at a
 * graph's opset do not raise it, which keeps imported graphs that use older forms (ReduceMean's
 * `axes` attribute at opset 13) valid as they are.
 * @module
 */
import type { Graph, Node } from '../ir/graph.js';

/**
 * The lowest default-domain opset at which `node` has the meaning the Ocular IR gives it, or 0
 * when any opset the IR accepts will do.
 */
export function minOpsetForNode(node: Node): number {
  if (node.domain && node.domain !== 'ai.onnx') return 0;
  switch (node.opType) {
    case 'DeformConv':
      return 19; // new in 19
    case 'AveragePool':
      return (node.attrs.dilations as readonly number[] | undefined)?.some((d) => d !== 1) ? 19 : 0;
    case 'Resize':
      return node.attrs.coordinate_transformation_mode === 'half_pixel_symmetric' ? 19 : 0;
    case 'Pad':
      return node.attrs.mode === 'wrap' ? 19 : 0;
    case 'Gelu':
      return 20; // new in 20
    case 'GridSample':
      return 20; // 20 renamed the modes to linear / cubic and allows N-D
    case 'GroupNormalization':
      return 21; // 21 scales and shifts per channel (18: per group)
    case 'Cast':
      return castTargetOpset(node.attrs.to as number | undefined);
    default:
      return 0;
  }
}

/** Cast to a newer storage dtype needs the opset that added the dtype (by ONNX dtype code). */
function castTargetOpset(to: number | undefined): number {
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

/** The default-domain opset `graph` is exported with: its own, raised to what its nodes need. */
export function exportOpset(graph: Graph): number {
  let opset = graph.opset;
  for (const n of graph.nodes) opset = Math.max(opset, minOpsetForNode(n));
  return opset;
}
