// pipeline(task) with no arguments once the defaults are registered: the default of each task
// and the default upscaler's claim, measured through the pipeline as a user runs it.
import { join } from 'node:path';
import { plugin as nodePlugin } from '@ocular/backend-node';
import { type PixelImage, registry } from '@ocular/core';
import { crop, loadImage, psnrY, resize } from '@ocular/image';
import { defaultTaskPreset, listTaskPresets, pipeline } from '@ocular/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRESETS, registerDefaultModels } from '../src/index.js';

const SAMPLES = join(import.meta.dirname, '../../../apps/cli/samples');

beforeAll(() => {
  registry.use(nodePlugin);
  registerDefaultModels();
  registerDefaultModels(); // idempotent
});

describe('embedded defaults', () => {
  it('names a default for detection, segmentation and super-resolution', () => {
    expect(defaultTaskPreset('detection').name).toBe('ocular/nanodet');
    expect(defaultTaskPreset('segmentation').name).toBe('ocular/selfie');
    expect(defaultTaskPreset('super-resolution').name).toBe('ocular/imdn_rtc_x2.trained');
    expect(listTaskPresets().length).toBe(DEFAULT_PRESETS.length);
    for (const p of DEFAULT_PRESETS) expect(p.license, p.name).toMatch(/MIT/);
  });

  it("pipeline('super-resolution') beats aligned bicubic by at least 0.5 dB Y-PSNR on a held-out photo", async () => {
    const p = await pipeline<PixelImage>('super-resolution', { backend: 'node' });
    try {
      const photo = await loadImage(join(SAMPLES, 'coffee.jpg'));
      const hr = crop(photo, { x1: 0, y1: 0, x2: 600, y2: 400 });
      const lr = resize(hr, { width: 300, height: 200, method: 'bicubic', antialias: true });
      const r = await p.run(lr);
      const bicubic = resize(lr, { width: 600, height: 400, method: 'bicubic' });
      const gain = psnrY(r.result, hr, 2) - psnrY(bicubic, hr, 2);
      expect(gain).toBeGreaterThanOrEqual(0.5);
    } finally {
      await p.dispose();
    }
  });
});
