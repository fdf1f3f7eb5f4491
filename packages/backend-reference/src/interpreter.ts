/**
 * Runs a graph node by node with the reference kernels.
 * @module
 */
import {
  AbortError,
  BackendError,
  type Graph,
  getOpSchema,
  OcularError,
  resolveAttrs,
  type Tensor,
  UnknownOpError,
} from '@ocular/core';
import { KERNELS } from './kernels/index.js';

/** Options of {@link interpret}. */
export interface InterpretOptions {
  readonly signal?: AbortSignal;
  /** Output names to return (default: the graph outputs). */
  readonly outputs?: readonly string[];
}

/**
 * Evaluates `graph` on `feeds`. Errors are {@link BackendError}s naming the node, its op and its
 * module scope; the original error is the `cause`.
 */
export function interpret(
  graph: Graph,
  feeds: Readonly<Record<string, Tensor>>,
  options: InterpretOptions = {},
): Record<string, Tensor> {
  const values = new Map<string, Tensor>(graph.initializers);
  for (const inp of graph.inputs) {
    const t = feeds[inp.name];
    if (!t) {
      if (graph.initializers.has(inp.name)) continue;
      throw new BackendError(`missing feed for graph input '${inp.name}'`);
    }
    values.set(inp.name, t);
  }
  for (const node of graph.nodes) {
    if (options.signal?.aborted) throw new AbortError();
    const kernel = KERNELS[node.opType];
    if (!kernel || node.domain) {
      throw new UnknownOpError(
        `reference backend has no kernel for op '${node.domain ? `${node.domain}::` : ''}${node.opType}' (node '${node.name}')`,
      );
    }
    const inputs = node.inputs.map((name) => {
      if (name === '') return undefined;
      const v = values.get(name);
      if (!v)
        throw new BackendError(
          `node '${node.name}' (${node.opType}) reads '${name}', which is not computed yet`,
        );
      return v;
    });
    let outs: Tensor[];
    try {
      const schema = getOpSchema(node.opType, node.domain);
      const attrs = resolveAttrs(schema, node.attrs);
      outs = kernel(inputs, attrs, { node, schema, numOutputs: node.outputs.length });
    } catch (err) {
      const where = `${node.scope ? `${node.scope} ` : ''}(${node.opType} '${node.name}')`;
      if (err instanceof OcularError) {
        throw new BackendError(`reference: ${where}: ${err.message}`, {
          cause: err,
          details: { code: err.code },
        });
      }
      throw new BackendError(`reference: ${where}: ${(err as Error).message}`, { cause: err });
    }
    node.outputs.forEach((name, i) => {
      if (name !== '' && outs[i]) values.set(name, outs[i]!);
    });
  }
  const names = options.outputs ?? graph.outputs.map((o) => o.name);
  const result: Record<string, Tensor> = {};
  for (const name of names) {
    const v = values.get(name);
    if (!v) throw new BackendError(`graph output '${name}' was not computed`);
    result[name] = v;
  }
  return result;
}
