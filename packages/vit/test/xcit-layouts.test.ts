import { createModel, getModelInfo, profileGraph } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { usePlugin } from './cait-helpers.js';
import { layout, moduleLayout } from './reference.js';

usePlugin();

describe('xcit_nano_12_p16_224 against the timm layout', () => {
  const name = 'xcit_nano_12_p16_224';
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

  it('has the logits and features shapes and the MACs at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps and keys of timm', async () => {
    const fo = ref.features_only;
    const model = await createModel(`ocular/${name}`, { featuresOnly: true });
    expect(model.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    // timm's features model drops the class-attention blocks, the final norm and the head
    // (351 of 391 entries for xcit_nano_12_p16_224).
    const dropped = /^(cls_attn_blocks|norm|head)\./;
    expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !dropped.test(k)));
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});

describe('XCiT models without a layout file', () => {
  // timm's results tables: parameters in M to 2 decimals, GMACs at 224×224.
  it.each([['xcit_tiny_12_p16_224', 6.72e6, 1.24e9]] as const)(
    '%s has the published parameter count and MACs (within 2%%)',
    async (name, params, macs) => {
      const model = await createModel(`ocular/${name}`);
      expect(Math.abs(model.parameterCount() - params)).toBeLessThanOrEqual(0.005e6);
      expect(model.parameterCount()).toBe(model.info.paramCount);
      const measured = profileGraph(model.trace({ batch: 1 })).macs;
      expect(Math.abs(measured - macs) / macs).toBeLessThanOrEqual(0.02);
    },
  );
});
