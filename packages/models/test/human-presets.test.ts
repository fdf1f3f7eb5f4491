// The vendored detectors and person segmenters as presets: imported into Ocular graphs and run
// through pipelines on the sample photos (the same photos recipes.test.ts checks with TF.js).
import { join } from 'node:path';
import { plugin as nodePlugin } from '@ocular/backend-node';
import { type Detection, registry, type Segmentation } from '@ocular/core';
import { defaultTaskPreset, pipeline, registerTaskPresets } from '@ocular/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { HUMAN_MODEL_PRESETS } from '../src/index.js';

const SAMPLES = join(import.meta.dirname, '../../../apps/cli/samples');

beforeAll(() => {
  registry.use(nodePlugin);
  registerTaskPresets(HUMAN_MODEL_PRESETS);
});

describe('default detectors', () => {
  it('NanoDet is the default detector', () => {
    expect(defaultTaskPreset('detection').name).toBe('ocular/nanodet');
    expect(defaultTaskPreset('segmentation').name).toBe('ocular/selfie');
  });
  it.each(['ocular/nanodet', 'ocular/centernet'])('%s finds the cat, the person and cars', async (model) => {
    const p = await pipeline<Detection[]>('detection', { model, backend: 'node' });
    try {
      const cat = await p.run(join(SAMPLES, 'chelsea.jpg'));
      expect(cat.result[0]?.label).toBe('cat');
      expect(cat.result[0]!.score).toBeGreaterThan(0.35);
      // The cat fills most of the photo.
      const b = cat.result[0]!.box;
      expect((b.x2 - b.x1) * (b.y2 - b.y1)).toBeGreaterThan(0.3 * 451 * 300);
      const person = await p.run(join(SAMPLES, 'astronaut.jpg'));
      expect(person.result[0]?.label).toBe('person');
      const city = await p.run(join(SAMPLES, 'city.jpg'));
      expect(city.result.filter((d) => d.label === 'car').length).toBeGreaterThanOrEqual(3);
    } finally {
      await p.dispose();
    }
  });
});

describe('default person segmenters', () => {
  // Meet sees the square photo squeezed to 16:9 (as MediaPipe feeds it), so it covers less of the body.
  it.each([
    ['ocular/selfie', 0.85],
    ['ocular/meet', 0.6],
  ] as const)('%s masks the astronaut, not the backdrop', async (model, minBody) => {
    const p = await pipeline<Segmentation>('segmentation', { model, backend: 'node' });
    try {
      const r = await p.run(join(SAMPLES, 'astronaut.jpg'));
      expect([r.result.width, r.result.height]).toEqual([512, 512]);
      const person = r.result.masks.find((m) => m.label === 'person')!;
      const frac = (x1: number, y1: number, x2: number, y2: number) => {
        let n = 0;
        for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) n += person.mask[y * 512 + x]!;
        return n / ((x2 - x1) * (y2 - y1));
      };
      // Torso (suit) vs the top-right backdrop next to the shuttle.
      expect(frac(150, 250, 350, 450)).toBeGreaterThan(minBody);
      expect(frac(440, 0, 512, 100)).toBeLessThan(0.1);
    } finally {
      await p.dispose();
    }
  });
});
