import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBackend } from '@ocular/backend-node';
import { type PixelImage, readSafetensors, type Session, traceModule } from '@ocular/core';
import { crop, loadImage, psnrY, resize, toTensor } from '@ocular/image';
import { createSrNet, SR_VARIANTS } from '@ocular/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Ocular's own super-resolution weights (assets/ocular-sr, trained by tooling/training/sr) run
 * through Ocular's networks on onnxruntime-node, on the held-out sample photos of
 * apps/cli/samples. Input: the photo cropped to a multiple of the scale, downscaled with
 * antialiased bicubic; baseline: bicubic upscale of that input; Y-PSNR with `scale` px shaved.
 * The figures are checked against those PyTorch measured when the weights were exported
 * (psnr.json, written by tooling/training/sr/evaluate.py), so a wrong layer, key or
 * pre-processing in Ocular shows up as a PSNR mismatch; the gain over bicubic is the claim the
 * weights ship with.
 */
const ASSETS = join(import.meta.dirname, '..', 'assets', 'ocular-sr');
const SAMPLES = join(import.meta.dirname, '..', '..', '..', 'apps', 'cli', 'samples');
/** The target: Y-PSNR gain over bicubic, in dB (mean over the held-out images, and on coffee.jpg). */
const TARGET_GAIN = 0.5;
/** The models that reach the target. */
const MEETS_TARGET = ['espcn_x2', 'fsrcnn_x2', 'imdn_rtc_x2', 'imdn_rtc_x3'];
/**
 * ESPCN and FSRCNN at ×3 and ×4 and IMDN-RTC ×4 stay under the target after their CPU training
 * (README, psnr.json `meets_target`: mean gains +0.44, +0.39, +0.25, +0.13, +0.45 dB); for them the test asserts
 * a floor a little under what they reach on coffee.jpg and on average, so a regression still fails.
 */
const FLOOR_GAIN: Readonly<Record<string, number>> = {
  espcn_x3: 0.35,
  espcn_x4: 0.3,
  fsrcnn_x3: 0.2,
  fsrcnn_x4: 0.05,
  imdn_rtc_x4: 0.4,
};
/**
 * Models whose gain on coffee.jpg is under their mean-gain requirement (IMDN-RTC ×3 reaches the
 * target on average, +0.52 dB, but +0.44 dB on coffee; ×4: +0.45 on average, +0.34 on coffee).
 */
const COFFEE_FLOOR: Readonly<Record<string, number>> = { imdn_rtc_x3: 0.4, imdn_rtc_x4: 0.3 };
/**
 * Agreement with PyTorch's figures, in dB: psnr.json keeps four decimals, and a float32 difference
 * may flip the 8-bit rounding of a few pixels (measured: at most 7e-5 dB).
 */
const PSNR_AGREEMENT = 0.001;

interface PsnrFigures {
  readonly model: number;
  readonly bicubic: number;
  readonly gain: number;
}
interface PsnrTable {
  readonly models: Record<
    string,
    { scale: number; images: Record<string, PsnrFigures>; mean: PsnrFigures; meets_target: boolean }
  >;
}

const TABLE = JSON.parse(readFileSync(join(ASSETS, 'psnr.json'), 'utf8')) as PsnrTable;
const SHIPPED = [
  'espcn_x2',
  'espcn_x3',
  'espcn_x4',
  'fsrcnn_x2',
  'fsrcnn_x3',
  'fsrcnn_x4',
  'imdn_rtc_x2',
  'imdn_rtc_x3',
  'imdn_rtc_x4',
];
const PHOTOS = ['coffee.jpg', 'chelsea.jpg', 'astronaut.jpg'];
const required = (name: string): number => (MEETS_TARGET.includes(name) ? TARGET_GAIN : FLOOR_GAIN[name]!);

/** The top-left `w × h` of an image with both sides cut down to a multiple of `scale`. */
function cropToMultiple(img: PixelImage, scale: number): PixelImage {
  const w = img.width - (img.width % scale);
  const h = img.height - (img.height % scale);
  return crop(img, { x1: 0, y1: 0, x2: w, y2: h });
}

const sessions: Session[] = [];
beforeAll(async () => {
  await nodeBackend.init();
});
afterAll(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

/** The shipped weights of `name` in Ocular's network, run on `lr` with onnxruntime-node. */
async function upscale(name: string, lr: PixelImage): Promise<PixelImage> {
  const net = createSrNet(name);
  const file = readSafetensors(readFileSync(join(ASSETS, `${name}.safetensors`)));
  net.loadStateDict(file.getAll(), { strict: true });
  const graph = traceModule(net, [{ name: 'input', dtype: 'float32', shape: [1, 3, lr.height, lr.width] }]);
  const session = await nodeBackend.compile(graph);
  sessions.push(session);
  return net.decode(await session.run({ input: toTensor(lr) }));
}

describe('shipped files', () => {
  it('every shipped model has float32 weights, a PSNR entry and a known configuration', () => {
    let bytes = 0;
    for (const name of SHIPPED) {
      expect(SR_VARIANTS[name]).toBeDefined();
      expect(TABLE.models[name]?.scale).toBe(SR_VARIANTS[name]!.options.scale);
      const path = join(ASSETS, `${name}.safetensors`);
      const file = readSafetensors(readFileSync(path));
      expect(file.keys().every((k) => file.info(k).dtype === 'float32')).toBe(true);
      bytes += statSync(path).size;
    }
    // Tiny networks: the files together stay around a megabyte.
    expect(bytes).toBeLessThan(1_200_000);
  });

  it.each(SHIPPED)('%s: mean gain over bicubic on the held-out images (PyTorch)', (name) => {
    const r = TABLE.models[name]!;
    expect(Object.keys(r.images).length).toBeGreaterThanOrEqual(5);
    expect(r.mean.gain).toBeGreaterThanOrEqual(required(name));
    expect(r.meets_target).toBe(MEETS_TARGET.includes(name));
  });
});

describe.each(PHOTOS)('held-out %s on onnxruntime-node', (photo) => {
  it.each(SHIPPED)('%s beats bicubic in Y-PSNR, as PyTorch measured', async (name) => {
    const scale = TABLE.models[name]!.scale;
    const hr = cropToMultiple(await loadImage(join(SAMPLES, photo)), scale);
    const lr = resize(hr, {
      width: hr.width / scale,
      height: hr.height / scale,
      method: 'bicubic',
      antialias: true,
    });
    const bicubic = resize(lr, { width: hr.width, height: hr.height, method: 'bicubic' });
    const sr = await upscale(name, lr);
    expect([sr.width, sr.height]).toEqual([hr.width, hr.height]);

    const got = { model: psnrY(sr, hr, scale), bicubic: psnrY(bicubic, hr, scale) };
    const want = TABLE.models[name]!.images[photo]!;
    expect(Math.abs(got.bicubic - want.bicubic)).toBeLessThanOrEqual(PSNR_AGREEMENT);
    expect(Math.abs(got.model - want.model)).toBeLessThanOrEqual(PSNR_AGREEMENT);
    expect(got.model - got.bicubic).toBeGreaterThan(0);
    if (photo === 'coffee.jpg')
      expect(got.model - got.bicubic).toBeGreaterThanOrEqual(COFFEE_FLOOR[name] ?? required(name));
  });
});
