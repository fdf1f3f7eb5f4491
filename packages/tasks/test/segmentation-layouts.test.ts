import { type Module, traceModule } from '@ocular/core';
import { layout, moduleLayout } from '@ocular/vitest-config/reference-data';
import { describe, expect, it } from 'vitest';
import {
  deeplabv3MobileNetV3Large,
  fcnResnet50,
  lrasppMobileNetV3Large,
  tvMobileNetV3StageIndices,
  VOC_LABELS,
} from '../src/segmentation/index.js';

type Entry = [string, number[], string, string];

/** The `details` of a torchvision layout file this test reads. */
interface Details {
  aux_loss_true_extra_state_dict: Entry[];
  aux_loss_true_param_count: number;
  backbone_output_shapes: Record<string, number[]>;
}

function details(model: string): Details {
  return layout(model).details as Details;
}

/** The layout file's state dict, with the aux-loss keys appended when asked. */
function expected(model: string, aux: boolean): Entry[] {
  const ref = layout(model);
  const extra = aux ? details(model).aux_loss_true_extra_state_dict : [];
  return [...(ref.state_dict as Entry[]), ...extra];
}

const cases: [string, (aux: boolean) => Module][] = [
  ['fcn_resnet50', (aux) => fcnResnet50({ auxLoss: aux })],
  ['deeplabv3_mobilenet_v3_large', (aux) => deeplabv3MobileNetV3Large({ auxLoss: aux })],
  ['lraspp_mobilenet_v3_large', () => lrasppMobileNetV3Large()],
];

describe('torchvision segmentation layouts', () => {
  it.each(cases)(
    '%s matches the reference state dict (keys, shapes, order, parameter count)',
    (name, build) => {
      const ref = layout(name);
      const model = build(false);
      expect(moduleLayout(model)).toEqual(expected(name, false));
      expect(model.parameterCount()).toBe(ref.param_count);
    },
  );

  it.each(cases.slice(0, 2))("%s with auxLoss matches the official checkpoints' layout", (name, build) => {
    const model = build(true);
    expect(moduleLayout(model)).toEqual(expected(name, true));
    expect(model.parameterCount()).toBe(details(name).aux_loss_true_param_count);
  });

  it("read the classifier inputs from torchvision's stage indices", () => {
    expect(tvMobileNetV3StageIndices()).toEqual([0, 2, 4, 7, 13, 16]);
    const ref = details('lraspp_mobilenet_v3_large').backbone_output_shapes;
    const model = lrasppMobileNetV3Large();
    const g = traceModule(model.backbone, [{ name: 'input', dtype: 'float32', shape: [1, 3, 520, 520] }]);
    expect(g.outputs.map((o) => o.shape)).toEqual([ref.low, ref.high]);
  });

  it('trace to logits at the input size, with VOC labels and the default preprocessing', () => {
    const model = fcnResnet50();
    expect(model.labels).toBe(VOC_LABELS);
    expect(model.preprocess).toEqual({
      defaultInputSize: [3, 520, 520],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    });
    const g = traceModule(model, [{ name: 'input', dtype: 'float32', shape: [1, 3, 72, 88] }]);
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([['logits', [1, 21, 72, 88]]]);
    const ref = details('fcn_resnet50').backbone_output_shapes.out;
    const bb = traceModule(model.backbone, [{ name: 'input', dtype: 'float32', shape: [1, 3, 520, 520] }]);
    expect(bb.outputs[0]!.shape).toEqual(ref);
  });

  it('trace the auxiliary output on request and reject what torchvision rejects', () => {
    const model = deeplabv3MobileNetV3Large({ auxLoss: true, auxOutput: true, numClasses: 3 });
    expect(model.labels).toBeUndefined();
    const g = traceModule(model, [{ name: 'input', dtype: 'float32', shape: ['batch', 3, 64, 48] }]);
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['logits', ['batch', 3, 64, 48]],
      ['aux', ['batch', 3, 64, 48]],
    ]);
    expect(() => lrasppMobileNetV3Large({ auxLoss: true } as never)).toThrow(/auxiliary/);
    expect(() => fcnResnet50({ auxOutput: true })).toThrow(/auxLoss/);
    expect(() => fcnResnet50({ numClasses: 2, labels: ['a'] })).toThrow(/labels/);
  });
});
