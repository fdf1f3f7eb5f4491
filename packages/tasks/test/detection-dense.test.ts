import { ResNet } from '@ocular/cnn';
import { FeatureListNet, type Module, type Tensor, traceModule } from '@ocular/core';
import { layout, moduleLayout } from '@ocular/vitest-config/reference-data';
import { describe, expect, it } from 'vitest';
import {
  FCOS,
  FeaturePyramidNetwork,
  fcosResnet50Fpn,
  RetinaNet,
  retinanetResnet50Fpn,
} from '../src/detection/index.js';
import { identityTransform } from '../src/postprocess/index.js';
import { expectDetectionsMatch } from './fixtures/det_match.js';
import { loadGolden, maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

describe('ResNet-50 FPN detector layouts', () => {
  // Built once: construction (random init of ~34M parameters) dominates these tests.
  let retinanet: RetinaNet | undefined;
  let fcos: FCOS | undefined;
  const full = {
    retinanet: () => (retinanet ??= retinanetResnet50Fpn()),
    fcos: () => (fcos ??= fcosResnet50Fpn()),
  };
  it.each([
    ['retinanet_resnet50_fpn', full.retinanet, 34_068_119],
    ['fcos_resnet50_fpn', full.fcos, 32_322_720],
  ] as const)('%s matches torchvision exactly', (name, build, params) => {
    const model = build();
    expect(moduleLayout(model)).toEqual(layout(name).state_dict);
    expect(model.parameterCount()).toBe(params);
    expect(model.backbone.featureInfo.map((f) => [f.numChs, f.reduction])).toEqual([
      [256, 8],
      [256, 16],
      [256, 32],
      [256, 64],
      [256, 128],
    ]);
  });

  it('anchor counts at 800×800 are torchvision’s (RetinaNet 120,087; FCOS 13,343)', () => {
    expect(full.retinanet().anchors(800, 800).anchors.length / 4).toBe(120_087);
    expect(full.fcos().anchors(800, 800).anchors.length / 4).toBe(13_343);
  });

  it('the FPN takes its input widths from the backbone featureInfo and declares its outputs', () => {
    const fpn = new FeaturePyramidNetwork({
      featureInfo: [
        { numChs: 8, reduction: 4, module: 'a' },
        { numChs: 12, reduction: 8, module: 'b' },
      ],
      outChannels: 16,
      extraBlocks: { type: 'maxpool' },
    });
    expect(fpn.featureInfo.map((f) => [f.numChs, f.reduction])).toEqual([
      [16, 4],
      [16, 8],
      [16, 16],
    ]);
    expect([...fpn.stateDict().keys()]).toEqual([
      'inner_blocks.0.0.weight',
      'inner_blocks.0.0.bias',
      'inner_blocks.1.0.weight',
      'inner_blocks.1.0.bias',
      'layer_blocks.0.0.weight',
      'layer_blocks.0.0.bias',
      'layer_blocks.1.0.weight',
      'layer_blocks.1.0.bias',
    ]);
  });
});

describe.each(['retinanet', 'fcos'] as const)('%s golden (tiny torchvision detector)', (kind) => {
  const golden = loadGolden(`det_${kind}`);
  const sc = golden.sidecar as Record<string, number> & {
    thresholds: Record<string, number>;
    body_widths: number[];
  };
  const body = new FeatureListNet(
    new ResNet({ block: 'basic', layers: [1, 1, 1, 1], channels: sc.body_widths }, { numClasses: 0 }),
    [2, 3, 4],
  );
  const options = {
    body,
    numClasses: sc.num_classes,
    fpnChannels: sc.fpn_width,
    scoreThresh: sc.thresholds.score_thresh,
    nmsThresh: sc.thresholds.nms_thresh,
    detectionsPerImg: sc.thresholds.detections_per_img,
    topkCandidates: sc.thresholds.topk_candidates,
  };
  const model = kind === 'retinanet' ? new RetinaNet(options) : new FCOS({ ...options, numGroups: 8 });
  const report = model.loadStateDict(golden.weights(), { strict: true });
  const size = sc.size;
  const graph = traceModule(model as Module, [
    { name: 'input', dtype: 'float32', shape: [1, 3, size, size] },
  ]);

  it('loads strictly; anchors equal torchvision AnchorGenerator', () => {
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    const { anchors } = model.anchors(size, size);
    const ref = golden.io('anchors').toFloat32();
    expect(Array.from(anchors)).toEqual(Array.from(ref));
  });

  it.each(taskRunners())('raw head outputs and detections match torchvision on %s', async (_n, run) => {
    const raw = await run(graph, { input: golden.io('input') });
    for (const k of model.outputNames) {
      const ref = golden.io(k);
      expect(maxAbsDiff(raw[k]!, ref), k).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(ref)));
    }
    const det = model.postprocess(raw as Record<string, Tensor>, { width: size, height: size });
    expectDetectionsMatch(det, golden, 1e-3);
    const decoded = model.decode(raw as Record<string, Tensor>, { transform: identityTransform(size, size) });
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded[0]!.score).toBeCloseTo(det.scores[0]!, 6);
    // A source twice the input size (input = source · 0.5): boxes map back scaled by 2.
    const scaled = model.decode(raw as Record<string, Tensor>, {
      transform: {
        source: { width: 2 * size, height: 2 * size },
        input: { width: size, height: size },
        scaleX: 0.5,
        scaleY: 0.5,
        offsetX: 0,
        offsetY: 0,
      },
    });
    expect(scaled).toHaveLength(decoded.length);
    expect(scaled[0]!.box.x2).toBeCloseTo(2 * decoded[0]!.box.x2, 4);
    expect(scaled[0]!.normalizedBox).toEqual(decoded[0]!.normalizedBox);
    expect(scaled[0]!.label).toBe(`class ${det.labels[0]}`);
  });
});
