import { type Module, type Tensor, traceModule } from '@ocular/core';
import { layout, moduleLayout } from '@ocular/vitest-config/reference-data';
import { describe, expect, it } from 'vitest';
import { COCO_91_LABELS, SSDLite, ssdlite320MobileNetV3Large } from '../src/detection/index.js';
import { identityTransform } from '../src/postprocess/index.js';
import { expectDetectionsMatch } from './fixtures/det_match.js';
import { loadGolden, maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

describe('SSDLite320 MobileNetV3 Large layout', () => {
  it('matches torchvision ssdlite320_mobilenet_v3_large exactly (476 entries, 3,440,060 params)', () => {
    const ref = layout('ssdlite320_mobilenet_v3_large');
    const model = ssdlite320MobileNetV3Large();
    expect(moduleLayout(model)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(3_440_060);
    expect(model.backbone.featureInfo.map((f) => [f.numChs, f.reduction])).toEqual([
      [672, 16],
      [480, 32],
      [512, 64],
      [256, 128],
      [256, 256],
      [128, 512],
    ]);
    // 320×320: 20², 10², 5², 3², 2², 1² locations × 6 boxes.
    expect(model.anchors(320, 320).length / 4).toBe(3234);
    expect(COCO_91_LABELS).toHaveLength(91);
  });
});

describe('SSDLite golden (tiny torchvision SSD with SSDLite extractor and head)', () => {
  const golden = loadGolden('det_ssdlite');
  const sc = golden.sidecar as Record<string, number> & { thresholds: Record<string, number> };
  const model = new SSDLite({
    widthMult: sc.backbone_width_mult,
    extraWidthMult: sc.extra_width_mult,
    numClasses: sc.num_classes,
    scoreThresh: sc.thresholds.score_thresh,
    nmsThresh: sc.thresholds.nms_thresh,
    detectionsPerImg: sc.thresholds.detections_per_img,
    topkCandidates: sc.thresholds.topk_candidates,
  });
  const report = model.loadStateDict(golden.weights(), { strict: true });
  const size = sc.size;
  const graph = traceModule(model as Module, [
    { name: 'input', dtype: 'float32', shape: [1, 3, size, size] },
  ]);

  it('loads strictly; default boxes equal torchvision DefaultBoxGenerator (≤ 1e-4 px)', () => {
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    const anchors = model.anchors(size, size);
    const ref = golden.io('anchors').toFloat32();
    expect(anchors.length).toBe(ref.length);
    let m = 0;
    for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(anchors[i]! - ref[i]!));
    expect(m).toBeLessThanOrEqual(1e-4);
  });

  it.each(taskRunners())('raw head outputs and detections match torchvision on %s', async (_n, run) => {
    const raw = await run(graph, { input: golden.io('input') });
    for (const k of ['cls_logits', 'bbox_regression']) {
      const ref = golden.io(k);
      expect(maxAbsDiff(raw[k]!, ref), k).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(ref)));
    }
    const det = model.postprocess(raw as Record<string, Tensor>, { width: size, height: size });
    expectDetectionsMatch(det, golden, 1e-3);
    const labels = Array.from({ length: sc.num_classes }, (_, i) => `c${i}`);
    const decoded = model.decode(raw as Record<string, Tensor>, {
      transform: identityTransform(size, size),
      labels,
    });
    // toDetections drops boxes left empty by clipping; torchvision keeps them.
    const nonEmpty = Array.from(det.scores.keys()).filter(
      (i) => det.boxes[i * 4 + 2]! > det.boxes[i * 4]! && det.boxes[i * 4 + 3]! > det.boxes[i * 4 + 1]!,
    );
    expect(decoded).toHaveLength(nonEmpty.length);
    expect(decoded[0]!.label).toBe(`c${det.labels[0]}`);
  });
});
