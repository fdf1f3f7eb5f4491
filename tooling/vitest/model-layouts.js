// Layout coverage of a family package: every timm layout of the family's timm modules in the
// reference data is registered and matches exactly (keys, order, shapes, kinds, dtypes,
// parameter count). Family tests check more (features, MACs, goldens); this makes sure none of
// the layouts is left out. The @ocular/* imports resolve through the preset's workspace aliases.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createModel, listModels, registry } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { layout, moduleLayout, REFERENCE_DIR } from './reference-data.js';

/**
 * @param {{ family: string, plugin: import('@ocular/core').Plugin, timmModules: string[],
 *   exclude?: (model: string) => boolean, minLayouts: number }} options
 */
export function defineLayoutCoverageTests({ family, plugin, timmModules, exclude, minLayouts }) {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  const modules = new Set(timmModules);
  const layouts = readdirSync(join(REFERENCE_DIR, 'layouts'))
    .map((f) => layout(f.replace(/\.json$/, '')))
    .filter((l) => {
      const [lib, , mod] = (l.model_class ?? '').split('.');
      return lib === 'timm' && modules.has(mod) && !exclude?.(l.model);
    });

  describe(`every ${family} layout in the reference data`, () => {
    const registered = new Set(listModels({ scope: 'ocular', family }));

    it('covers the families of this package', () => {
      expect(layouts.length).toBeGreaterThanOrEqual(minLayouts);
    });

    it.each(layouts.map((l) => l.model))('%s is registered with the exact timm state dict', async (name) => {
      expect(registered.has(`ocular/${name}`), `ocular/${name} is registered`).toBe(true);
      const ref = layout(name);
      const model = await createModel(`ocular/${name}`);
      expect(moduleLayout(model.module)).toEqual(ref.state_dict);
      expect(model.parameterCount()).toBe(ref.param_count);
    });
  });
}
