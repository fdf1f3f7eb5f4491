// The vendored MediaPipe segmentation GraphModels (selfie, meet) imported and run on the reference
// interpreter (at their own input size), onnxruntime-node and wasm against TF.js (cpu) running the
// original model on the same seeded input; and the 'nchw' layout option on them.
import { readFileSync } from 'node:fs';
import { nodeBackend } from '@ocular/backend-node';
import { describe, expect, it } from 'vitest';
import { importTfjsGraphModel } from '../src/index.js';
import { bound, DIR, describeModels, runSession } from './tfjs-graph-models-harness.js';
import { maxAbsDiff, randomTensor, runTfjsGraph } from './tfjs-graph-oracle.js';

describeModels([
  { name: 'selfie', reference: true, innerTransposes: 0 },
  { name: 'meet', reference: true, innerTransposes: 0 },
]);

describe("layout: 'nchw'", () => {
  it('removes the boundary transposes of the NHWC segmentation models and still matches TF.js', async () => {
    for (const name of ['selfie', 'meet']) {
      const json = JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8'));
      const shard = new Uint8Array(readFileSync(`${DIR}${name}.bin`));
      const imp = importTfjsGraphModel(json, [shard], { layout: 'nchw' });
      expect(imp.report.transposes.total).toBe(0);
      const nhwc = imp.inputs[0]!;
      const [n, c, h, w] = nhwc.shape as number[];
      const x = randomTensor([n!, h!, w!, c!], 23);
      // The same pixels in NCHW for the imported graph.
      const xc = randomTensor([n!, c!, h!, w!], 0);
      for (let i = 0; i < h! * w!; i++)
        for (let k = 0; k < c!; k++) xc.data[k * h! * w! + i] = x.data[i * c! + k]!;
      const outName = imp.outputs[0]!.name;
      const want = (await runTfjsGraph(json, [shard], { [nhwc.name]: x }, [outName]))[outName]!;
      const got = (await runSession(await nodeBackend.compile(imp.graph), { [nhwc.name]: xc }))[outName]!;
      const [on, oh, ow, oc] = want.dims as number[];
      expect([...got.dims]).toEqual([on, oc, oh, ow]);
      const back = randomTensor([...want.dims] as number[], 0);
      const g = got.toFloat32();
      for (let i = 0; i < oh! * ow!; i++)
        for (let k = 0; k < oc!; k++) back.data[i * oc! + k] = g[k * oh! * ow! + i]!;
      expect(maxAbsDiff(back, want)).toBeLessThanOrEqual(bound(want));
    }
  });
});
