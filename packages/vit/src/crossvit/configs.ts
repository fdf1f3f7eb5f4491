/**
 * CrossViT architectures (timm's `crossvit_*` builders), as data.
 * @module
 */

/** One CrossViT architecture: two (or more) branches of different patch sizes. */
export interface CrossVitConfig {
  /** Training image size (square); branch i sees `trunc(imgSize · imgScale[i])`. */
  readonly imgSize: number;
  /** Image scale per branch. */
  readonly imgScale: readonly number[];
  /** Patch size per branch. */
  readonly patchSize: readonly number[];
  /** Token width per branch. */
  readonly embedDim: readonly number[];
  /**
   * Per multi-scale block: transformer depth of each branch, then the number of cross-attention
   * blocks (0 = one, registered without a container, as timm's checkpoints have it).
   */
  readonly depth: readonly (readonly number[])[];
  /** Heads per branch. */
  readonly numHeads: readonly number[];
  /** MLP ratio per branch (a trailing entry is unused, as in timm). */
  readonly mlpRatio: readonly number[];
  /** Bias on q/k/v projections (timm: true). */
  readonly qkvBias?: boolean;
}

const SCALE = [1.0, 224 / 240];
const DEPTH4 = [
  [1, 4, 0],
  [1, 4, 0],
  [1, 4, 0],
];

/** The registered CrossViT architectures, by timm name. */
export const CROSSVIT_CONFIGS = {
  crossvit_tiny_240: {
    imgSize: 240,
    imgScale: SCALE,
    patchSize: [12, 16],
    embedDim: [96, 192],
    depth: DEPTH4,
    numHeads: [3, 3],
    mlpRatio: [4, 4, 1],
  },
  crossvit_small_240: {
    imgSize: 240,
    imgScale: SCALE,
    patchSize: [12, 16],
    embedDim: [192, 384],
    depth: DEPTH4,
    numHeads: [6, 6],
    mlpRatio: [4, 4, 1],
  },
  crossvit_9_240: {
    imgSize: 240,
    imgScale: SCALE,
    patchSize: [12, 16],
    embedDim: [128, 256],
    depth: [
      [1, 3, 0],
      [1, 3, 0],
      [1, 3, 0],
    ],
    numHeads: [4, 4],
    mlpRatio: [3, 3, 1],
  },
} as const satisfies Record<string, CrossVitConfig>;

/** A registered CrossViT architecture name. */
export type CrossVitArch = keyof typeof CROSSVIT_CONFIGS;
