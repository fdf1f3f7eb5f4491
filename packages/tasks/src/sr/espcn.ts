/**
 * ESPCN (Shi et al. 2016, "Real-Time Single Image and Video Super-Resolution Using an Efficient
 * Sub-Pixel Convolutional Neural Network"): conv 5×5 → tanh → conv 3×3 → tanh → conv 3×3 to
 * `C·scale²` channels → pixel shuffle, all at input resolution.
 *
 * State-dict keys follow yjn870/ESPCN-pytorch (`models.py`, with `num_channels = 3`):
 * `first_part.0` (5×5), `first_part.2` (3×3), `last_part.0` (3×3 to `C·scale²`); the tanh and
 * pixel-shuffle layers hold the other `Sequential` indices.
 * @module
 */
import { Conv2d, Sequential, type SymbolicTensor, Tanh } from '@ocular/core';
import { positiveInt, type ReceptiveField, type SrCommonOptions, SuperResolutionNet } from './base.js';
import { PixelShuffle } from './layers.js';

/** Options of {@link espcn}. */
export interface EspcnOptions extends SrCommonOptions {
  /** Upscaling factor (any integer ≥ 1; 2, 3 and 4 are the published ones). */
  readonly scale: number;
  /** Image channels in and out (default 3, RGB; the reference code's default 1 is luma only). */
  readonly numChannels?: number;
  /** Widths of the two feature convolutions (default [64, 32], the paper's). */
  readonly features?: readonly [number, number];
}

/** The ESPCN network; build it with {@link espcn}. */
export class Espcn extends SuperResolutionNet {
  readonly firstPart: Sequential;
  readonly lastPart: Sequential;

  constructor(options: EspcnOptions) {
    super(positiveInt('espcn: scale', options.scale), options);
    const c = positiveInt('espcn: numChannels', options.numChannels ?? 3);
    const [f1, f2] = options.features ?? [64, 32];
    positiveInt('espcn: features[0]', f1);
    positiveInt('espcn: features[1]', f2);
    this.firstPart = this.registerModule(
      'first_part',
      new Sequential([
        new Conv2d(c, f1, 5, { padding: 2 }),
        new Tanh(),
        new Conv2d(f1, f2, 3, { padding: 1 }),
        new Tanh(),
      ]),
    );
    this.lastPart = this.registerModule(
      'last_part',
      new Sequential([new Conv2d(f2, c * this.scale ** 2, 3, { padding: 1 }), new PixelShuffle(this.scale)]),
    );
  }

  /** 5×5 + 3×3 + 3×3 at input resolution: 2 + 1 + 1 input pixels. */
  get receptiveField(): ReceptiveField {
    return { radius: 4, global: false };
  }

  upscale(x: SymbolicTensor): SymbolicTensor {
    return this.lastPart.call(this.firstPart.call(x));
  }
}

/** Builds an ESPCN (see {@link Espcn}). */
export function espcn(options: EspcnOptions): Espcn {
  return new Espcn(options);
}
