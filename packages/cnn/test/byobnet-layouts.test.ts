import { createModel, getModelInfo, profileGraph, registry } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { layout, moduleLayout } from './reference.js';

const MODELS = ['repvgg_a0', 'repvgg_a2', 'mobileone_s0'];

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

describe.each(MODELS)('%s against the timm layout', (name) => {
  const ref = layout(name);
  const firstConv = (ref.pretrained_cfg as unknown as { first_conv: string[] }).first_conv;

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
    // timm names both stem branches; the registry's single firstConv is the k×k one.
    expect(info.firstConv).toBe(firstConv[0]);
    expect(info.classifier).toEqual([ref.pretrained_cfg.classifier]);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits shape and the MACs at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
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
    expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !k.startsWith('head.fc.')));
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});
