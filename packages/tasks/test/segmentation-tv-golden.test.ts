// torchvision's FCN, DeepLabV3 and LR-ASPP at tiny widths against PyTorch (fixtures written by
// tooling/goldens/tasks_segmentation.py): weights load strictly, outputs match on the reference
// interpreter and onnxruntime-node within 1e-4 × the largest |output|
// (measured: at most 1.2e-7 absolute, on outputs up to 0.19–0.49).
import { resnetConfig } from '@ocular/cnn';
import { type Module, Tensor, traceModule } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { deeplabv3MobileNetV3Large, fcnResnet50, lrasppMobileNetV3Large } from '../src/segmentation/index.js';
import { loadGolden, maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

const runners = taskRunners();

function loadStrict(model: Module, weights: Map<string, Tensor>): void {
  const report = model.loadStateDict(weights, { strict: true });
  expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
}

function trace(model: Module, input: Tensor) {
  return traceModule(model, [{ name: 'input', dtype: 'float32', shape: [...input.dims] }]);
}

describe('fcn_resnet50 structure (tiny ResNet, output stride 8, aux classifier)', () => {
  const golden = loadGolden('seg_fcn_tiny');
  const model = fcnResnet50({
    resnet: resnetConfig('resnet50', { layers: [1, 1, 2, 2], channels: [4, 8, 8, 16] }),
    numClasses: 5,
    auxLoss: true,
    auxOutput: true,
  });
  loadStrict(model, golden.weights(''));
  const input = golden.io('input');
  const graph = trace(model, input);

  it.each(runners)('matches torchvision on %s', async (_name, run) => {
    const out = await run(graph, { input });
    for (const [ours, theirs] of [
      ['logits', 'out'],
      ['aux', 'aux'],
    ] as const) {
      const ref = golden.io(theirs);
      expect(maxAbsDiff(out[ours]!, ref), ours).toBeLessThanOrEqual(1e-4 * maxAbs(ref));
    }
  });
});

describe('deeplabv3_mobilenet_v3_large and lraspp_mobilenet_v3_large structure (width 0.25)', () => {
  const golden = loadGolden('seg_mnv3_tiny');
  const input = golden.io('input');
  const deeplab = deeplabv3MobileNetV3Large({
    widthMult: 0.25,
    channels: 8,
    numClasses: 4,
    auxLoss: true,
    auxOutput: true,
  });
  loadStrict(deeplab, golden.weights('deeplab.', { 'backbone.': 'backbone.' }));
  const lraspp = lrasppMobileNetV3Large({ widthMult: 0.25, interChannels: 16, numClasses: 4 });
  loadStrict(lraspp, golden.weights('lraspp.', { 'backbone.': 'backbone.' }));
  const graphs = { deeplab: trace(deeplab, input), lraspp: trace(lraspp, input) };

  it.each(runners)('match torchvision on %s', async (_name, run) => {
    const d = await run(graphs.deeplab, { input });
    const l = await run(graphs.lraspp, { input });
    const cases: [Tensor, Tensor, string][] = [
      [d.logits!, golden.io('deeplab.out'), 'deeplab out'],
      [d.aux!, golden.io('deeplab.aux'), 'deeplab aux'],
      [l.logits!, golden.io('lraspp.out'), 'lraspp out'],
    ];
    for (const [ours, ref, what] of cases) {
      expect(maxAbsDiff(ours, ref), what).toBeLessThanOrEqual(1e-4 * maxAbs(ref));
    }
  });

  it('runs a batch of two with a symbolic batch dim on node', async () => {
    const graph = traceModule(deeplab, [
      { name: 'input', dtype: 'float32', shape: ['batch', ...input.dims.slice(1)] },
    ]);
    const x = input.toFloat32();
    const two = new Float32Array(2 * x.length);
    two.set(x);
    two.set(x, x.length);
    const [, run] = runners[1]!;
    const out = (await run(graph, { input: Tensor.from('float32', two, [2, ...input.dims.slice(1)]) }))
      .logits!;
    const ref = golden.io('deeplab.out').toFloat32();
    const got = out.toFloat32();
    expect(out.dims).toEqual([2, ...golden.io('deeplab.out').dims.slice(1)]);
    let m = 0;
    for (let i = 0; i < got.length; i++) m = Math.max(m, Math.abs(got[i]! - ref[i % ref.length]!));
    expect(m).toBeLessThanOrEqual(1e-4 * maxAbs(golden.io('deeplab.out')));
  });
});
