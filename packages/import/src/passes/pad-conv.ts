/**
 * Folds zero constant padding into the convolutions it feeds: `Conv(Pad(x, pads))` becomes
 * `Conv(x)` with the spatial pads added to the Conv's own. Graphs converted through ONNX (NanoDet)
 * pad explicitly before every convolution.
 * @module
 */
import type { Graph, Node } from '@ocular/core';

function isZeroScalar(graph: Graph, name: string | undefined): boolean {
  if (!name) return true;
  const t = graph.initializers.get(name);
  return t !== undefined && t.size === 1 && t.toNumbers()[0] === 0;
}

/**
 * Runs the fold in place. A Pad qualifies when its mode is `constant` with value 0, its pads are
 * an initializer that leaves batch and channel dims alone and has no negative entry, and every
 * consumer is a 2-D Conv without `auto_pad`.
 * @returns the number of Pad nodes removed
 */
export function foldPadsIntoConv(graph: Graph): number {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  let folded = 0;
  for (const pad of [...graph.nodes]) {
    if (pad.opType !== 'Pad' || (pad.attrs.mode ?? 'constant') !== 'constant') continue;
    if (pad.inputs.length > 3 && pad.inputs[3]) continue; // axes input
    if (!isZeroScalar(graph, pad.inputs[2])) continue;
    const padsT = graph.initializers.get(pad.inputs[1] ?? '');
    if (padsT?.size !== 8) continue;
    const p = padsT.toNumbers();
    if (p.some((v) => v < 0) || p[0] || p[1] || p[4] || p[5]) continue;
    const y = pad.outputs[0]!;
    if (outputs.has(y)) continue;
    const users = graph.nodes.filter((n) => n.inputs.includes(y));
    const ok = users.every(
      (n) =>
        n.opType === 'Conv' &&
        n.inputs[0] === y &&
        n.inputs.indexOf(y, 1) < 0 &&
        (n.attrs.auto_pad ?? 'NOTSET') === 'NOTSET',
    );
    if (!users.length || !ok) continue;
    graph.nodes = graph.nodes
      .filter((n) => n !== pad)
      .map((n): Node => {
        if (!users.includes(n)) return n;
        const own = (n.attrs.pads as readonly number[] | undefined) ?? [0, 0, 0, 0];
        const pads = [own[0]! + p[2]!, own[1]! + p[3]!, own[2]! + p[6]!, own[3]! + p[7]!];
        return { ...n, inputs: [pad.inputs[0]!, ...n.inputs.slice(1)], attrs: { ...n.attrs, pads } };
      });
    graph.valueInfo.delete(y);
    folded++;
  }
  return folded;
}
