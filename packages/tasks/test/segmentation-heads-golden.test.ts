// The generic segmentation heads against PyTorch re-implementations of their reference code
// (tooling/goldens/tasks_segmentation.py: transformers' SegformerDecodeHead, mmseg's UPerHead,
// detectron2's SemSegFPNHead, torchvision's DeepLabHead) on four seeded feature maps (strides
// 4..32 of a 32×64 input). Weights load strictly; outputs match on the reference interpreter and
// onnxruntime-node within 1e-4 × the largest |output|.
import {
  type FeatureInfo,
  type HeadBuildOptions,
  Module,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  asppHead,
  type SegmentationHead,
  segformerHead,
  semanticFpnHead,
  upernetHead,
} from '../src/segmentation/index.js';
import { loadGolden, maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

const runners = taskRunners();
const golden = loadGolden('seg_heads_tiny');
const features = [0, 1, 2, 3].map((i) => golden.io(`features.${i}`));
const input = { h: 32, w: 64 };
const featureInfo: FeatureInfo[] = features.map((f, i) => ({
  numChs: f.dims[1] as number,
  reduction: 4 * 2 ** i,
  module: `stage${i}`,
}));

/** Feeds the four maps and the input (for its size) to a head. */
class HeadProbe extends Module<SymbolicTensor[], Record<string, SymbolicTensor>> {
  constructor(readonly head: SegmentationHead) {
    super();
    this.registerModule('head', head);
  }
  forward(...xs: SymbolicTensor[]): Record<string, SymbolicTensor> {
    return this.head.call(xs.slice(0, 4), xs[4]!);
  }
}

const cases: [string, (o: HeadBuildOptions) => SegmentationHead, Record<string, unknown>, string][] = [
  ['segformer', segformerHead, { channels: 16 }, ''],
  ['upernet', upernetHead, { channels: 16 }, ''],
  ['fpn', semanticFpnHead, { channels: 16, groups: 4 }, ''],
  ['aspp', asppHead, { channels: 16 }, 'classifier.'],
];

describe.each(cases)('%s head', (name, factory, config, prefix) => {
  const head = factory({ featureInfo, numClasses: 6, config });
  const weights = new Map(
    [...golden.weights(`${name}.`)].map(([k, t]) => [prefix + k, t] as [string, Tensor]),
  );
  const report = head.loadStateDict(weights, { strict: true });
  const graph = traceModule(new HeadProbe(head), [
    ...features.map((f, i) => ({ name: `f${i}`, dtype: 'float32' as const, shape: [...f.dims] })),
    { name: 'input', dtype: 'float32', shape: [1, 3, input.h, input.w] },
  ]);
  // Only the input's size matters to the heads.
  const feeds: Record<string, Tensor> = {
    input: Tensor.from('float32', new Float32Array(3 * input.h * input.w), [1, 3, input.h, input.w]),
  };
  features.forEach((f, i) => {
    feeds[`f${i}`] = f;
  });

  it('loads the reference weights strictly', () => {
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['logits', [1, 6, input.h, input.w]]]);
  });

  it.each(runners)('matches the PyTorch reference on %s', async (_backend, run) => {
    const out = await run(graph, feeds);
    const ref = golden.io(name);
    expect(maxAbsDiff(out.logits!, ref)).toBeLessThanOrEqual(1e-4 * maxAbs(ref));
  });
});
