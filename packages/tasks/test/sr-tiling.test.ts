import { nodeBackend } from '@ocular/backend-node';
import { AbortError, type Graph, type Session, ShapeError, Tensor, traceModule } from '@ocular/core';
import { maxAbsDiff } from '@ocular/vitest-config/model-golden';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSrNet,
  planTiles,
  recommendedTiling,
  type SuperResolutionNet,
  sessionTileRunner,
  TileConfigError,
  upscaleTiled,
} from '../src/sr/index.js';
import { loadedSrNet } from './sr-helpers.js';

/** Seeded uniform 0–1 image `[1, 3, h, w]` (a small LCG, so the test needs no fixture). */
function randomImage(h: number, w: number, seed = 7): Tensor<'float32'> {
  const data = new Float32Array(3 * h * w);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32;
  }
  return new Tensor('float32', data, [1, 3, h, w]);
}

describe('planTiles', () => {
  it('steps by tile − overlap and clamps the last tile to the image edge (hand-computed)', () => {
    const p = planTiles(70, 53, { tileSize: 32, overlap: 16 });
    expect(p.xs).toEqual([0, 16, 21]);
    expect(p.ys).toEqual([0, 16, 32, 38]);
    expect(p.tiles).toHaveLength(12);
    expect(p.margin).toBe(4);
    expect(p.tiles.every((t) => t.width === 32 && t.height === 32)).toBe(true);
  });

  it('rounds the step down to the alignment and shrinks tiles to a small image', () => {
    const p = planTiles(6, 40, { tileSize: 16, overlap: 5, align: 2 });
    expect(p.xs).toEqual([0, 10, 20, 24]);
    expect(p.ys).toEqual([0]);
    expect(p.tileHeight).toBe(6);
  });

  it('rejects settings that cannot work with typed errors', () => {
    expect(() => planTiles(64, 64, { tileSize: 16, overlap: 16 })).toThrow(TileConfigError);
    expect(() => planTiles(64, 64, { tileSize: 16, overlap: 4, margin: 3 })).toThrow(/2 · margin/);
    expect(() => planTiles(64, 64, { tileSize: 15, overlap: 4, align: 2 })).toThrow(
      /not a multiple of the alignment/,
    );
    expect(() => planTiles(64, 64, { tileSize: 4, overlap: 3, align: 2 })).toThrow(/no step/);
    expect(() => planTiles(64, 64, { tileSize: 0, overlap: 0 })).toThrow(TileConfigError);
    expect(() => planTiles(64, 64, { tileSize: 16, overlap: 1.5 })).toThrow(TileConfigError);
    expect(() => planTiles(63, 64, { tileSize: 16, overlap: 4, align: 2 })).toThrow(ShapeError);
  });
});

describe('recommendedTiling', () => {
  it('gives a margin of the receptive radius, four radii of overlap and the input multiple', () => {
    // ESPCN: 5×5, 3×3, 3×3 → radius 2 + 1 + 1; FSRCNN ×3 (m = 2): 2 + 2 + max(⌊4/3⌋, ⌊6/3⌋).
    expect(recommendedTiling(buildSrNet('espcn', { scale: 2 }))).toEqual({
      overlap: 16,
      margin: 4,
      align: 1,
      exact: true,
    });
    expect(recommendedTiling(buildSrNet('fsrcnn', { scale: 3, m: 2 })).margin).toBe(6);
    expect(
      recommendedTiling(buildSrNet('rrdbNet', { scale: 2, numFeat: 4, numBlock: 1, numGrowCh: 2 })).align,
    ).toBe(2);
    expect(recommendedTiling(buildSrNet('imdn', { scale: 2, features: 16, numModules: 1 })).exact).toBe(
      false,
    );
  });
});

describe('upscaleTiled blending', () => {
  it('ramps linearly across the overlap after a zero margin (hand-computed weights)', async () => {
    // Tiles at x = 0 and 4 (width 8, overlap 4, margin 1, ramp 2); the first returns 0s, the
    // second 1s. Left tile weights over x = 4..7: 1, 0.75, 0.25, 0; right tile: 0, 0.25, 0.75, 1.
    const input = new Tensor('float32', new Float32Array(12), [1, 1, 1, 12]);
    let calls = 0;
    const out = await upscaleTiled(
      input,
      async (t) => new Tensor('float32', new Float32Array(t.size).fill(calls++), t.dims),
      { tileSize: [1, 8], overlap: 4, margin: 1 },
    );
    expect([...out.toFloat32()]).toEqual([0, 0, 0, 0, 0, 0.25, 0.75, 1, 1, 1, 1, 1]);
  });

  it('weights sum to one per pixel: an identity tile function returns the input at ×1 and nearest ×2', async () => {
    const input = randomImage(37, 29);
    const same = await upscaleTiled(input, async (t) => t, { tileSize: 12, overlap: 6 });
    expect(maxAbsDiff(same, input)).toBeLessThan(1e-6);
    const nearest2 = async (t: Tensor) => {
      const [n, c, h, w] = t.dims as [number, number, number, number];
      const src = t.toFloat32();
      const o = new Float32Array(n * c * 4 * h * w);
      for (let p = 0; p < n * c; p++)
        for (let y = 0; y < 2 * h; y++)
          for (let x = 0; x < 2 * w; x++)
            o[(p * 2 * h + y) * 2 * w + x] = src[(p * h + (y >> 1)) * w + (x >> 1)]!;
      return new Tensor('float32', o, [n, c, 2 * h, 2 * w]);
    };
    const tiled = await upscaleTiled(input, nearest2, { tileSize: 10, overlap: 4, margin: 0 });
    expect(maxAbsDiff(tiled, await nearest2(input))).toBeLessThan(1e-6);
  });

  it('reports progress per tile and stops with AbortError between tiles', async () => {
    const input = randomImage(20, 20);
    const seen: string[] = [];
    await upscaleTiled(input, async (t) => t, {
      tileSize: 12,
      overlap: 4,
      onProgress: (p) => seen.push(`${p.done}/${p.total}`),
    });
    expect(seen).toEqual(['1/4', '2/4', '3/4', '4/4']);

    const controller = new AbortController();
    let runs = 0;
    const run = upscaleTiled(
      input,
      async (t) => {
        runs++;
        return t;
      },
      {
        tileSize: 12,
        overlap: 4,
        signal: controller.signal,
        onProgress: (p) => p.done === 2 && controller.abort(),
      },
    );
    await expect(run).rejects.toThrow(AbortError);
    expect(runs).toBe(2);
    await expect(
      upscaleTiled(input, async (t) => t, { tileSize: 12, overlap: 4, signal: AbortSignal.abort() }),
    ).rejects.toThrow(AbortError);
  });

  it('rejects tile outputs of the wrong shape with ShapeError', async () => {
    const input = randomImage(20, 20);
    const crop = async (_t: Tensor) => new Tensor('float32', new Float32Array(3 * 11 * 12), [1, 3, 11, 12]);
    await expect(upscaleTiled(input, crop, { tileSize: 12, overlap: 4 })).rejects.toThrow(ShapeError);
    await expect(
      upscaleTiled(new Tensor('float32', new Float32Array(12), [3, 4]), async (t) => t, {
        tileSize: 2,
        overlap: 0,
      }),
    ).rejects.toThrow(ShapeError);
  });
});

/**
 * The acceptance criterion: with real networks (PyTorch golden weights) on onnxruntime-node, a
 * tiled result equals the whole-image result to 1e-4 when each tile edge's zero-weight margin
 * covers the receptive radius, and does not when the margin is too small.
 */
describe('tiled equals untiled on the node backend', () => {
  const sessions: Session[] = [];
  beforeAll(async () => {
    await nodeBackend.init();
  });
  afterAll(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });

  async function compile(net: SuperResolutionNet, h: number, w: number): Promise<Session> {
    const g: Graph = traceModule(net, [{ name: 'input', dtype: 'float32', shape: [1, 3, h, w] }]);
    const s = await nodeBackend.compile(g);
    sessions.push(s);
    return s;
  }

  async function tiledVsWhole(
    net: SuperResolutionNet,
    image: Tensor,
    tile: number,
    overlap: number,
    margin: number,
  ) {
    const [, , h, w] = image.dims as number[];
    const plan = planTiles(h!, w!, { tileSize: tile, overlap, margin, align: net.inputMultiple });
    expect(plan.xs.length).toBeGreaterThan(1);
    expect(plan.ys.length).toBeGreaterThan(1);
    const tileSession = await compile(net, plan.tileHeight, plan.tileWidth);
    const whole = (await (await compile(net, h!, w!)).run({ input: image })).output!;
    const tiled = await upscaleTiled(image, sessionTileRunner(tileSession), {
      tileSize: tile,
      overlap,
      margin,
      align: net.inputMultiple,
    });
    return maxAbsDiff(tiled, whole);
  }

  // [golden case, image h, w, tile, ramp width, radius is tight]; the overlap is 2 · radius + ramp.
  // Where the radius is tight, a margin of radius − 1 must already fail. (For the deep nets the
  // outermost taps of the bound reach the result with too small a weight to show.)
  const CASES: [string, number, number, number, number, boolean][] = [
    ['espcn_x3', 70, 61, 32, 8, true],
    ['fsrcnn_x2', 64, 75, 40, 6, true],
    ['fsrcnn_x4_tiny', 50, 47, 28, 4, true],
    ['imdn_rtc_x2', 110, 96, 64, 4, false],
    ['rrdbnet_x4_tiny', 120, 112, 96, 2, false],
    ['rrdbnet_x2_tiny', 150, 132, 112, 4, false],
    ['rrdbnet_x1_tiny', 240, 224, 176, 4, false],
  ];

  it.each(CASES)('%s', async (name, h, w, tile, ramp, tight) => {
    const net = loadedSrNet(name);
    const { margin: radius, exact } = recommendedTiling(net);
    expect(exact).toBe(true);
    const image = randomImage(h, w);
    const exactDiff = await tiledVsWhole(net, image, tile, 2 * radius + ramp, radius);
    const smallDiff = await tiledVsWhole(net, image, tile, 4, 1);
    console.info(
      `${name}: radius ${radius}, tiled − untiled max |Δ| ${exactDiff.toExponential(2)} (margin ${radius}), ${smallDiff.toExponential(2)} (margin 1)`,
    );
    expect(exactDiff).toBeLessThanOrEqual(1e-4);
    expect(smallDiff).toBeGreaterThan(1e-4);
    if (tight) {
      const tightDiff = await tiledVsWhole(net, image, tile, 2 * radius + ramp - 2, radius - 1);
      console.info(`${name}: margin ${radius - 1}: ${tightDiff.toExponential(2)}`);
      expect(tightDiff).toBeGreaterThan(1e-4);
    }
  });

  it('IMDN pools over the whole input: tiling only approximates it, whatever the overlap', async () => {
    const net = loadedSrNet('imdn_x3_tiny');
    const rec = recommendedTiling(net);
    expect(rec.exact).toBe(false);
    const diff = await tiledVsWhole(net, randomImage(60, 56), 40, rec.overlap - 4, rec.margin);
    console.info(`imdn_x3_tiny: radius ${rec.margin}, tiled − untiled max |Δ| ${diff.toExponential(2)}`);
    expect(diff).toBeGreaterThan(1e-4);
  });
});
