// Shared harness of the vendored-model tests: each default GraphModel (packages/models/assets/
// human-models) is imported and run on onnxruntime-node and onnxruntime-web (wasm), and optionally on
// the reference interpreter, against TF.js (cpu backend) running the original model on the same
// seeded input.
import { readFileSync } from 'node:fs';
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import type { Session, Tensor } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTfjsGraphModel, type TfjsGraphImport } from '../src/index.js';
import { maxAbsDiff, randomTensor, runTfjsGraph } from './tfjs-graph-oracle.js';

export const DIR = new URL('../../models/assets/human-models/', import.meta.url).pathname;

/**
 * float32 kernels accumulate in different orders (onnxruntime's blocked GEMM vs TF.js's loops), so
 * the bound is 1e-4 absolute for outputs of magnitude ≤ 1, and 1e-4 of the output's largest
 * magnitude above that (CenterNet's box sizes reach ~500, where one float32 ulp is 3e-5).
 */
export function bound(want: Tensor): number {
  let m = 0;
  for (const v of want.toFloat32()) m = Math.max(m, Math.abs(v));
  return 1e-4 * Math.max(1, m);
}

/** One vendored model and what to expect of it. */
export interface Case {
  readonly name: string;
  readonly reference: boolean;
  /** Transpose nodes allowed inside the graph (not touching an input or output). */
  readonly innerTransposes: number;
}

export async function runSession(session: Session, feeds: Record<string, Tensor>) {
  try {
    return await session.run(feeds);
  } finally {
    await session.dispose();
  }
}

/** Registers the import and backend-parity tests of `cases`. */
export function describeModels(cases: readonly Case[]): void {
  beforeAll(async () => {
    await nodeBackend.init();
    await wasmBackend.init();
  });
  describe.each(cases)('$name', ({ name, reference, innerTransposes }) => {
    const json = JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8'));
    const shard = new Uint8Array(readFileSync(`${DIR}${name}.bin`));
    let imp: TfjsGraphImport;
    let feeds: Record<string, Tensor>;
    let want: Record<string, Tensor>;

    beforeAll(async () => {
      imp = importTfjsGraphModel(json, [shard]);
      const input = imp.inputs[0]!;
      feeds = { [input.name]: randomTensor(input.shape as number[], 17) };
      want = await runTfjsGraph(
        json,
        [shard],
        feeds,
        imp.outputs.map((o) => o.name),
      );
    });

    it('imports with the original I/O layout and transposes only at the boundary', () => {
      const sourceNodes = Object.values(imp.report.sourceOps).reduce((a, b) => a + b, 0);
      expect(sourceNodes).toBe(json.modelTopology.node.length);
      expect(imp.report.transposes.inner).toBeLessThanOrEqual(innerTransposes);
      expect(imp.inputs.map((i) => i.shape)).toEqual(
        Object.values(
          json.signature.inputs as Record<string, { tensorShape: { dim: { size: string }[] } }>,
        ).map((s) => s.tensorShape.dim.map((d) => Number(d.size))),
      );
      console.log(
        name,
        'transposes',
        JSON.stringify(imp.report.transposes),
        'folded pads',
        imp.report.foldedPads,
        'ops',
        JSON.stringify(imp.report.ops),
      );
    });

    for (const backend of ['node', 'wasm', ...(reference ? ['reference'] : [])] as const) {
      it(`matches TF.js on ${backend}`, async () => {
        const got =
          backend === 'reference'
            ? interpret(imp.graph, feeds)
            : await runSession(
                await (backend === 'node' ? nodeBackend : wasmBackend).compile(imp.graph),
                feeds,
              );
        for (const o of imp.outputs) {
          const diff = maxAbsDiff(got[o.name]!, want[o.name]!);
          console.log(
            `${name} ${backend} ${o.name}: max abs diff ${diff.toExponential(2)} (bound ${bound(want[o.name]!).toExponential(1)})`,
          );
          expect([...got[o.name]!.dims]).toEqual([...want[o.name]!.dims]);
          expect(diff).toBeLessThanOrEqual(bound(want[o.name]!));
        }
      });
    }
  });
}
