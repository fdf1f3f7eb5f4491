/**
 * onnxruntime as an independent oracle for the spatial reference kernels: every spatial parity
 * case (and a few extra float16 / float64 / int8 cases) runs on onnxruntime-node's CPU provider
 * and on the reference interpreter, and the outputs must agree.
 */

import { fromOrtTensor, graphToOnnx, prepareGraphForOrt, type Tensor, toOrtTensor } from '@ocular/core';
import { buildOpCase, compareTensors, type OpCase, SPATIAL_OP_CASES } from '@ocular/core/testing';
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

describe('spatial ops agree with onnxruntime', () => {
  for (const c of SPATIAL_OP_CASES) {
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
