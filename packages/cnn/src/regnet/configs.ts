/**
 * RegNet architecture definitions (timm's `regnet.py` `model_cfgs`) and the arithmetic that turns
 * the design-space parameters into per-stage widths, depths and group sizes.
 * @module
 */
import { type FeatureInfo, InvalidArgumentError } from '@ocular/core';

/** A RegNet configuration (timm's `RegNetCfg`; fields not listed keep timm's defaults). */
export interface RegNetConfig {
  /** Number of blocks over all stages. */
  readonly depth: number;
  /** Initial width. */
  readonly w0: number;
  /** Width slope. */
  readonly wa: number;
  /** Width multiplier between stages. */
  readonly wm: number;
  /** Channels per group of the 3×3 conv. */
  readonly groupSize: number;
  /** Bottleneck ratio (default 1). */
  readonly bottleRatio?: number;
  /** Squeeze-excite ratio of the block input width (0: RegNetX; default 0). */
  readonly seRatio?: number;
  /** Stem width (default 32). */
  readonly stemWidth?: number;
}

/** The registered RegNetX / RegNetY architectures by timm name. */
export const REGNET_CONFIGS = {
  regnetx_002: { w0: 24, wa: 36.44, wm: 2.49, groupSize: 8, depth: 13 },
  regnetx_004: { w0: 24, wa: 24.48, wm: 2.54, groupSize: 16, depth: 22 },
  regnetx_006: { w0: 48, wa: 36.97, wm: 2.24, groupSize: 24, depth: 16 },
  regnetx_008: { w0: 56, wa: 35.73, wm: 2.28, groupSize: 16, depth: 16 },
  regnetx_016: { w0: 80, wa: 34.01, wm: 2.25, groupSize: 24, depth: 18 },
  regnety_002: { w0: 24, wa: 36.44, wm: 2.49, groupSize: 8, depth: 13, seRatio: 0.25 },
  regnety_004: { w0: 48, wa: 27.89, wm: 2.09, groupSize: 8, depth: 16, seRatio: 0.25 },
  regnety_006: { w0: 48, wa: 32.54, wm: 2.32, groupSize: 16, depth: 15, seRatio: 0.25 },
  regnety_008: { w0: 56, wa: 38.84, wm: 2.4, groupSize: 16, depth: 14, seRatio: 0.25 },
  regnety_016: { w0: 48, wa: 20.71, wm: 2.65, groupSize: 24, depth: 27, seRatio: 0.25 },
  regnety_032: { w0: 80, wa: 42.63, wm: 2.66, groupSize: 24, depth: 21, seRatio: 0.25 },
} as const satisfies Record<string, RegNetConfig>;

/** A registered RegNet architecture name. */
export type RegNetArch = keyof typeof REGNET_CONFIGS;

/** Python's `round` (ties to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const f32 = Math.fround;

/**
 * timm's `generate_regnet`: per-block widths `w0 · wm^round(log(1 + i·wa/w0) / log wm)`, rounded
 * to multiples of `quant`. timm computes in float32 tensors, so every step is rounded to float32
 * here too (it decides which blocks fall on a stage boundary).
 */
export function generateRegnet(wa: number, w0: number, wm: number, depth: number, quant = 8): number[] {
  if (!(wa >= 0 && w0 > 0 && wm > 1 && w0 % quant === 0)) {
    throw new InvalidArgumentError(
      `RegNet: need wa ≥ 0, w0 > 0, wm > 1 and w0 divisible by ${quant}; got wa ${wa}, w0 ${w0}, wm ${wm}`,
    );
  }
  const logWm = f32(Math.log(wm));
  const widths: number[] = [];
  for (let i = 0; i < depth; i++) {
    const cont = f32(f32(i * f32(wa)) + w0);
    const exp = roundHalfEven(f32(f32(Math.log(f32(cont / w0))) / logWm));
    const w = f32(f32(w0 * f32(f32(wm) ** exp)) / quant);
    widths.push(roundHalfEven(w) * quant);
  }
  return widths;
}

/** One stage of a RegNet: output width, block count, channels per group. */
export interface RegNetStage {
  readonly width: number;
  readonly depth: number;
  readonly groupSize: number;
}

/**
 * The stages of a configuration: distinct block widths with their counts, then timm's
 * `adjust_widths_groups_comp` (group size at most the bottleneck width; bottleneck width a
 * multiple of the group size).
 */
export function regnetStages(config: RegNetConfig): RegNetStage[] {
  const widths = generateRegnet(config.wa, config.w0, config.wm, config.depth);
  const counts = new Map<number, number>();
  for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  const br = config.bottleRatio ?? 1;
  const stages = [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([w, depth]) => {
      const bottleneck = Math.trunc(w * br);
      const groupSize = Math.min(config.groupSize, bottleneck);
      const quantised = Math.trunc(roundHalfEven(bottleneck / groupSize) * groupSize);
      return { width: Math.trunc(quantised / br), depth, groupSize };
    });
  if (stages.length !== 4) {
    throw new InvalidArgumentError(
      `RegNet: the parameters give ${stages.length} stages, timm's RegNet needs 4`,
    );
  }
  return stages;
}

/** timm's `feature_info`: the stem, then one map per stage (each halves the resolution). */
export function regnetFeatureInfo(config: RegNetConfig): FeatureInfo[] {
  return [
    { numChs: config.stemWidth ?? 32, reduction: 2, module: 'stem' },
    ...regnetStages(config).map((s, i) => ({ numChs: s.width, reduction: 4 * 2 ** i, module: `s${i + 1}` })),
  ];
}
