// Every timm layout of the CNN families in the reference data is registered here and matches
// exactly (keys, order, shapes, kinds, dtypes, parameter count). The family tests check more
// (features, MACs, goldens); this one makes sure none of the layouts is left out.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createModel, listModels, registry } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { layout, moduleLayout, REFERENCE_DIR } from './reference.js';

if (!registry.listPlugins().includes(plugin)) registry.use(plugin);

/** timm modules whose models belong to this package (MobileViT, built by byobnet too, is a hybrid). */
const CNN_MODULES = new Set([
  'resnet',
  'efficientnet',
  'mobilenetv3',
  'ghostnet',
  'regnet',
  'convnext',
  'inception_next',
  'repvit',
  'byobnet',
]);

const layouts = readdirSync(join(REFERENCE_DIR, 'layouts'))
  .map((f) => layout(f.replace(/\.json$/, '')))
  .filter((l) => {
    const [lib, , mod] = ((l as unknown as { model_class: string }).model_class ?? '').split('.');
    return lib === 'timm' && CNN_MODULES.has(mod!) && !l.model.startsWith('mobilevit');
  });

describe('every CNN layout in the reference data', () => {
  const registered = new Set(listModels({ scope: 'ocular', family: 'cnn' }));

  it('covers the families of this package', () => {
    expect(layouts.length).toBeGreaterThanOrEqual(30);
  });

  it.each(layouts.map((l) => l.model))('%s is registered with the exact timm state dict', async (name) => {
    expect(registered.has(`ocular/${name}`), `ocular/${name} is registered`).toBe(true);
    const ref = layout(name);
    const model = await createModel(`ocular/${name}`);
    expect(moduleLayout(model.module)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(ref.param_count);
  });
});
