// The UpscalerJS presets: imported from the installed npm packages and run through a pipeline.
import { plugin as nodePlugin } from '@ocular/backend-node';
import { type PixelImage, registry } from '@ocular/core';
import { psnrY, resize } from '@ocular/image';
import { pipeline, registerTaskPresets } from '@ocular/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { UPSCALER_PRESETS } from '../src/index.js';

beforeAll(() => {
  registry.use(nodePlugin);
  registerTaskPresets(UPSCALER_PRESETS);
});

/** A smooth test image (gradients and a soft disc), so a good ×2 upscale is close to bicubic. */
function smoothImage(width: number, height: number): PixelImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const d = Math.hypot(x - width / 2, y - height / 2) / (width / 3);
      data[i] = 40 + (160 * x) / width;
      data[i + 1] = 60 + (150 * y) / height;
      data[i + 2] = 200 * Math.exp(-d * d);
    }
  return { width, height, channels: 3, data };
}

describe('UpscalerJS presets', () => {
  it('default-x2 upscales 0–255 RGB by 2 and stays close to bicubic on a smooth image', async () => {
    const p = await pipeline<PixelImage>('super-resolution', {
      model: 'upscalerjs/default-x2',
      backend: 'node',
    });
    try {
      const lr = smoothImage(40, 30);
      const r = await p.run(lr);
      expect([r.result.width, r.result.height]).toEqual([80, 60]);
      const bicubic = resize(lr, { width: 80, height: 60, method: 'bicubic' });
      // A wrong input range or channel order lands far below this.
      expect(psnrY(r.result, bicubic, 2)).toBeGreaterThan(30);
    } finally {
      await p.dispose();
    }
  });
});
