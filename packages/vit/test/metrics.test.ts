// Every registered model's MACs at its default input size, re-derived from the traced graph and
// compared with the checked-in table in src/metrics.ts (and, where a timm layout exists, with the
// layout's count). With OCULAR_UPDATE_METRICS=1 the table is rewritten instead.
import { writeFileSync } from 'node:fs';
import { createModel, getModelInfo, listModels, profileGraph, registry } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { MODEL_MACS } from '../src/metrics.js';
import { hasLayout, layout } from './reference.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

const UPDATE = process.env.OCULAR_UPDATE_METRICS === '1';

describe('model metrics', () => {
  it('match the traced graph of every registered model at its default input size', async () => {
    const measured: Record<string, number> = {};
    for (const name of listModels({ scope: 'ocular', family: 'vit' })) {
      const model = await createModel(name);
      const macs = profileGraph(model.trace({ batch: 1 })).macs;
      const arch = getModelInfo(name).arch;
      measured[arch] = macs;
      if (hasLayout(arch)) expect(macs, `${arch} vs its timm layout`).toBe(layout(arch).macs);
    }
    if (UPDATE) {
      const rows = Object.keys(measured)
        .sort()
        .map((k) => `  ${k}: ${measured[k]},`)
        .join('\n');
      const file = new URL('../src/metrics.ts', import.meta.url);
      const head = (await import('node:fs')).readFileSync(file, 'utf8').split('export const MODEL_MACS')[0];
      writeFileSync(
        file,
        `${head}export const MODEL_MACS: Readonly<Record<string, number>> = {\n${rows}\n};\n`,
      );
      return;
    }
    expect(MODEL_MACS).toEqual(measured);
  });

  it.skipIf(UPDATE)('reach the listings without loading model code', () => {
    for (const name of listModels({ scope: 'ocular', family: 'vit' })) {
      const info = getModelInfo(name);
      expect(info.macs, name).toBe(MODEL_MACS[info.arch]);
    }
  });
});
