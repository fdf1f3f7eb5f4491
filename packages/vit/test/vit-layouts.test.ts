// Every vision_transformer model that has a timm layout file: state-dict keys, shapes, order,
// parameter count, listing metadata, logits shape, MACs at the default input and the
// features-only model (timm's FeatureGetterNet: last 3 blocks as NCHW maps, no norm or head).
import { createModel, getModelInfo, type Model, profileGraph } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layout, moduleLayout } from './reference.js';
import { usePlugin } from './vit-helpers.js';

usePlugin();

const MODELS = [
  'test_vit',
  'test_vit2',
  'test_vit3',
  'test_vit4',
  'vit_tiny_patch16_224',
  'vit_small_patch16_224',
  'vit_base_patch16_224',
  'deit_tiny_patch16_224',
  'deit_tiny_distilled_patch16_224',
];

const HEAD = /^(norm|fc_norm|attn_pool|head|head_dist)\./;

describe.each(MODELS)('%s against the timm layout', (name) => {
  const ref = layout(name);
  // One build per model: the full-size ones take a while to initialise.
  let model: Model;
  beforeAll(async () => {
    model = await createModel(`ocular/${name}`);
  });

  it('has the state-dict keys, shapes, kinds, dtypes and order, and the parameter count', () => {
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
    const cls = ref.pretrained_cfg.classifier;
    expect(info.classifier).toEqual(Array.isArray(cls) ? cls : [cls]);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits shape and the MACs at the default input', () => {
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps of timm', async () => {
    const fo = ref.features_only;
    const features = await createModel(`ocular/${name}`, { featuresOnly: true });
    expect(features.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    const keys = moduleLayout(features.module);
    expect(keys).toEqual(ref.state_dict.filter(([k]) => !HEAD.test(k)));
    expect(keys.length).toBe((fo as typeof fo & { state_dict_len: number }).state_dict_len);
    const graph = features.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});
