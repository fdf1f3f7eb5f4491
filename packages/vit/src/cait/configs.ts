/**
 * CaiT architectures (timm's `cait_*` builders), as data.
 * @module
 */

/** One CaiT architecture. */
export interface CaitConfig {
  /** Training image size (square). */
  readonly imgSize: number;
  readonly patchSize: number;
  readonly embedDim: number;
  /** Self-attention (talking heads) blocks. */
  readonly depth: number;
  readonly numHeads: number;
  /** Layer-scale initial value. */
  readonly initValues: number;
  /** MLP expansion of every block (timm: 4). */
  readonly mlpRatio?: number;
  /** Class-attention blocks (timm: 2). */
  readonly depthTokenOnly?: number;
  /** Bias on the q/k/v projections (timm: true). */
  readonly qkvBias?: boolean;
}

/** The registered CaiT architectures, by timm name. */
export const CAIT_CONFIGS = {
  cait_xxs24_224: { imgSize: 224, patchSize: 16, embedDim: 192, depth: 24, numHeads: 4, initValues: 1e-5 },
  cait_xxs36_224: { imgSize: 224, patchSize: 16, embedDim: 192, depth: 36, numHeads: 4, initValues: 1e-5 },
  cait_xs24_384: { imgSize: 384, patchSize: 16, embedDim: 288, depth: 24, numHeads: 6, initValues: 1e-5 },
  cait_s24_224: { imgSize: 224, patchSize: 16, embedDim: 384, depth: 24, numHeads: 8, initValues: 1e-5 },
} as const satisfies Record<string, CaitConfig>;

/** A registered CaiT architecture name. */
export type CaitArch = keyof typeof CAIT_CONFIGS;
