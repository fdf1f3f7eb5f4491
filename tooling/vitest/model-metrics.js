// The family packages' MACs table check: every registered model of a family is traced at its
// default input size, its MACs counted by core's profiler, and compared with the checked-in
// table (`src/metrics.ts`) and, where a timm layout exists, with the layout's count. With
// OCULAR_UPDATE_METRICS=1 the table is rewritten instead. The @ocular/* imports resolve through
// the preset's workspace aliases.
import { readFileSync, writeFileSync } from 'node:fs';
import { createModel, getModelInfo, listModels, profileGraph, registry } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { hasLayout, layout } from './reference-data.js';

/**
 * @param {{ family: string, plugin: import('@ocular/core').Plugin,
 *   table: Readonly<Record<string, number>>, tableFile: URL }} options
 */
export function defineModelMetricsTests({ family, plugin, table, tableFile }) {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  const update = process.env.OCULAR_UPDATE_METRICS === '1';

  describe(`${family} model metrics`, () => {
    it('match the traced graph of every registered model at its default input size', async () => {
      const measured = {};
      for (const name of listModels({ scope: 'ocular', family })) {
        const model = await createModel(name);
        const macs = profileGraph(model.trace({ batch: 1 })).macs;
        const arch = getModelInfo(name).arch;
        measured[arch] = macs;
        if (hasLayout(arch)) expect(macs, `${arch} vs its timm layout`).toBe(layout(arch).macs);
      }
      if (update) {
        const rows = Object.keys(measured)
          .sort()
          .map((k) => `  ${k}: ${measured[k]},`)
          .join('\n');
        const head = readFileSync(tableFile, 'utf8').split('export const MODEL_MACS')[0];
        writeFileSync(
          tableFile,
          `${head}export const MODEL_MACS: Readonly<Record<string, number>> = {\n${rows}\n};\n`,
        );
        return;
      }
      expect(table).toEqual(measured);
    });

    it.skipIf(update)('reach the listings without loading model code', () => {
      for (const name of listModels({ scope: 'ocular', family })) {
        const info = getModelInfo(name);
        expect(info.macs, name).toBe(table[info.arch]);
      }
    });
  });
}
