import { createModel, getModelInfo, profileGraph, registry } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { layout, moduleLayout } from './reference.js';

const MODELS = [
  'test_efficientnet',
  'test_efficientnet_gn',
  'test_efficientnet_ln',
  'mobilenetv1_100',
  'mobilenetv2_100',
  'mobilenetv3_large_100',
  'mobilenetv3_small_100',
  'efficientnet_b0',
  'efficientnet_lite0',
  'tf_efficientnet_lite0',
];

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

describe.each(MODELS)('%s against the timm layout', (name) => {
  const ref = layout(name);

  it('has the state-dict keys, shapes, kinds, dtypes and order', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(moduleLayout(model.module)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(ref.param_count);
  });

  it('lists the layout metadata without loading code', () => {
    const info = getModelInfo(`ocular/${name}`);
    expect(info.paramCount).toBe(ref.param_count);
    expect(info.defaultInputSize).toEqual(ref.default_input_size);
    expect(info.mean).toEqual(ref.mean);
    expect(info.std).toEqual(ref.std);
    expect(info.numClasses).toBe(ref.num_classes);
    expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
    expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
    expect(info.classifier).toEqual([ref.pretrained_cfg.classifier]);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits and feature shapes, and the MACs, at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(model.featureInfo.map((f) => f.module)).toEqual(ref.feature_info.map((f) => f.module));
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps of timm', async () => {
    const fo = ref.features_only;
    const model = await createModel(`ocular/${name}`, { featuresOnly: true });
    expect(model.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    // timm's features models (EfficientNetFeatures, MobileNetV3Features) hold the stem and the
    // blocks: no head conv, head norm or classifier.
    const head = /^(conv_head|bn2|classifier)\./;
    expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !head.test(k)));
    expect(model.module.stateDict().size).toBe((fo as { state_dict_len?: number }).state_dict_len);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});
