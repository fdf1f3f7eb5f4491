/**
 * The reference backend object.
 * @module
 */
import {
  type Backend,
  DisposedError,
  type Graph,
  listOpSchemas,
  type Session,
  type UnsupportedOp,
} from '@ocular/core';
import { interpret } from './interpreter.js';
import { KERNELS } from './kernels/index.js';

/** The reference backend: every IR op in plain TypeScript. Always supported; lowest priority. */
export const referenceBackend: Backend = {
  name: 'reference',
  priority: 0,
  async isSupported() {
    return { ok: true, detail: 'pure TypeScript interpreter' };
  },
  async init() {},
  async compile(graph: Graph): Promise<Session> {
    let disposed = false;
    return {
      inputNames: graph.inputs.map((i) => i.name),
      outputNames: graph.outputs.map((o) => o.name),
      async run(feeds, options) {
        if (disposed) throw new DisposedError('reference session was disposed');
        return interpret(graph, feeds, options);
      },
      async dispose() {
        disposed = true;
      },
    };
  },
  unsupportedOps(): UnsupportedOp[] {
    return listOpSchemas()
      .filter((s) => !s.domain && !KERNELS[s.opType])
      .map((s) => ({ opType: s.opType, reason: 'no reference kernel yet' }));
  },
  async describe() {
    return { engine: 'ocular reference interpreter', ops: Object.keys(KERNELS).length };
  },
};
