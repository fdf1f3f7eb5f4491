/**
 * Dead-code elimination: drops nodes no graph output depends on, then initializers and value
 * infos nothing refers to any more.
 * @module
 */
import type { Graph } from '@ocular/core';

/** What {@link pruneGraph} removed. */
export interface PruneResult {
  readonly nodes: number;
  readonly initializers: number;
}

/** Removes dead nodes and unused initializers in place. */
export function pruneGraph(graph: Graph): PruneResult {
  const needed = new Set(graph.outputs.map((o) => o.name));
  const kept: typeof graph.nodes = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (!n.outputs.some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const inp of n.inputs) if (inp) needed.add(inp);
  }
  kept.reverse();
  const removedNodes = graph.nodes.length - kept.length;
  graph.nodes = kept;
  let removedInits = 0;
  for (const name of [...graph.initializers.keys()]) {
    if (!needed.has(name)) {
      graph.initializers.delete(name);
      removedInits++;
    }
  }
  const produced = new Set(kept.flatMap((n) => n.outputs));
  for (const name of [...graph.valueInfo.keys()]) if (!produced.has(name)) graph.valueInfo.delete(name);
  return { nodes: removedNodes, initializers: removedInits };
}
