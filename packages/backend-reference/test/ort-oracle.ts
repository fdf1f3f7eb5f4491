/**
 * onnxruntime-node as an independent oracle for the reference kernels: an op case runs on
 * onnxruntime's CPU provider and on the reference interpreter, and the outputs must agree.
 */
import { fromOrtTensor, graphToOnnx, prepareGraphForOrt, type Tensor, toOrtTensor } from '@ocular/core';
import { buildOpCase, compareTensors, type OpCase } from '@ocular/core/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { interpret } from '../src/index.js';

/** Runs a built case on onnxruntime and returns its outputs by name. */
async function runOrt(c: OpCase): Promise<Record<string, Tensor>> {
  const { graph, feeds } = buildOpCase(c);
  const prepared = prepareGraphForOrt(graph).graph;
  const session = await ort.InferenceSession.create(graphToOnnx(prepared));
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(ort.Tensor, t, 'ort');
  const raw = await session.run(ortFeeds);
  const out: Record<string, Tensor> = {};
  for (const [name, v] of Object.entries(raw)) out[name] = fromOrtTensor(v as never, 'ort');
  await session.release();
  return out;
}

/**
 * A test suite with one test per case: every output of the reference interpreter must match
 * onnxruntime's within the case's tolerance (default rtol 1e-4, atol 1e-5).
 */
export function describeOrtAgreement(title: string, cases: readonly OpCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const { graph, feeds } = buildOpCase(c);
        const ref = interpret(graph, feeds);
        const got = await runOrt(c);
        for (const o of graph.outputs) {
          const cmp = compareTensors(got[o.name]!, ref[o.name]!, c.tolerance ?? { rtol: 1e-4, atol: 1e-5 });
          expect(cmp, `${c.name} ${o.name}`).toMatchObject({ mismatches: 0 });
        }
      });
    }
  });
}
