/**
 * IMDN (Hui et al. 2019, "Lightweight Image Super-Resolution with Information Multi-distillation
 * Network") and its real-time variant IMDN_RTC, with the official repository's (Zheng222/IMDN,
 * `model/architecture.py` and `model/block.py`) module names:
 *
 * - `IMDN`: `fea_conv` (3×3), `IMDB1..IMDB<n>` (information multi-distillation blocks: `c1..c4`
 *   3×3 with a channel split after each of the first three, `cca` contrast-aware channel
 *   attention with `cca.conv_du.0` / `cca.conv_du.2`, `c5` 1×1 fusion, residual), `c.0` (1×1 over
 *   the concatenated block outputs + LeakyReLU 0.05), `LR_conv` (3×3, global residual) and
 *   `upsampler.0` (3×3 to `C·scale²`, then pixel shuffle). The official class fixes six blocks;
 *   `numModules` generalises it.
 * - `IMDN_RTC`: `model.0` (3×3), `model.1.sub.<i>` (blocks without attention, `c5` 1×1 over the
 *   distilled channels only), `model.1.sub.<n>` (1×1, residual over the body), `model.2` (3×3 to
 *   `C·scale²`), `model.3` pixel shuffle.
 * @module
 */
import { Conv2d, F, LeakyReLU, Module, ReLU, Sequential, Sigmoid, type SymbolicTensor } from '@ocular/core';
import { positiveInt, type ReceptiveField, type SrCommonOptions, SuperResolutionNet } from './base.js';
import { PixelShuffle } from './layers.js';

/** The reference `conv_layer`: a k×k convolution with bias and "same" padding. */
function convLayer(cin: number, cout: number, k: number): Conv2d {
  return new Conv2d(cin, cout, k, { padding: (k - 1) >> 1 });
}

/** Contrast-aware channel attention: `x · σ(W₂ relu(W₁ (std(x) + mean(x))))` over each channel. */
export class CCALayer extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly convDu: Sequential;

  constructor(channels: number, reduction = 16) {
    super();
    const mid = positiveInt('CCALayer: channels / reduction', Math.floor(channels / reduction));
    this.convDu = this.registerModule(
      'conv_du',
      new Sequential([new Conv2d(channels, mid, 1), new ReLU(), new Conv2d(mid, channels, 1), new Sigmoid()]),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const mean = F.reduceMean(x, [2, 3]);
    const d = F.sub(x, mean);
    // Population standard deviation over the spatial dims, as the reference `stdv_channels`.
    const std = F.sqrt(F.reduceMean(F.mul(d, d), [2, 3]));
    return F.mul(x, this.convDu.call(F.add(std, mean)));
  }
}

/** An information multi-distillation block (`IMDModule`, or `IMDModule_speed` without attention). */
export class IMDModule extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly distilled: number;
  readonly remaining: number;
  readonly c1: Conv2d;
  readonly c2: Conv2d;
  readonly c3: Conv2d;
  readonly c4: Conv2d;
  readonly c5: Conv2d;
  readonly cca?: CCALayer;
  readonly #act = new LeakyReLU(0.05);

  constructor(channels: number, options: { attention: boolean; distillationRate?: number }) {
    super();
    this.distilled = Math.trunc(channels * (options.distillationRate ?? 0.25));
    this.remaining = channels - this.distilled;
    positiveInt('IMDModule: distilled channels', this.distilled);
    this.c1 = this.registerModule('c1', convLayer(channels, channels, 3));
    this.c2 = this.registerModule('c2', convLayer(this.remaining, channels, 3));
    this.c3 = this.registerModule('c3', convLayer(this.remaining, channels, 3));
    this.c4 = this.registerModule('c4', convLayer(this.remaining, this.distilled, 3));
    this.c5 = this.registerModule(
      'c5',
      convLayer(options.attention ? channels : this.distilled * 4, channels, 1),
    );
    if (options.attention) this.cca = this.registerModule('cca', new CCALayer(this.distilled * 4));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const sizes = [this.distilled, this.remaining];
    const [d1, r1] = F.split(this.#act.call(this.c1.call(x)), sizes, 1) as [SymbolicTensor, SymbolicTensor];
    const [d2, r2] = F.split(this.#act.call(this.c2.call(r1)), sizes, 1) as [SymbolicTensor, SymbolicTensor];
    const [d3, r3] = F.split(this.#act.call(this.c3.call(r2)), sizes, 1) as [SymbolicTensor, SymbolicTensor];
    let out = F.concat([d1, d2, d3, this.c4.call(r3)], 1);
    if (this.cca) out = this.cca.call(out);
    return F.add(this.c5.call(out), x);
  }
}

/** Options of {@link imdn}. */
export interface ImdnOptions extends SrCommonOptions {
  /** Upscaling factor (2, 3 and 4 are the published ones). */
  readonly scale: number;
  /** Image channels in and out (default 3). */
  readonly numChannels?: number;
  /** Feature width `nf` (default 64). */
  readonly features?: number;
  /** Number of IMDBs (default 6). */
  readonly numModules?: number;
}

/** The IMDN network; build it with {@link imdn}. */
export class Imdn extends SuperResolutionNet {
  readonly feaConv: Conv2d;
  readonly blocks: readonly IMDModule[];
  readonly c: Sequential;
  readonly lrConv: Conv2d;
  readonly upsampler: Sequential;

  constructor(options: ImdnOptions) {
    super(positiveInt('imdn: scale', options.scale), options);
    const ch = positiveInt('imdn: numChannels', options.numChannels ?? 3);
    const nf = positiveInt('imdn: features', options.features ?? 64);
    const n = positiveInt('imdn: numModules', options.numModules ?? 6);
    this.feaConv = this.registerModule('fea_conv', convLayer(ch, nf, 3));
    this.blocks = Array.from({ length: n }, (_, i) =>
      this.registerModule(`IMDB${i + 1}`, new IMDModule(nf, { attention: true })),
    );
    this.c = this.registerModule('c', new Sequential([new Conv2d(nf * n, nf, 1), new LeakyReLU(0.05)]));
    this.lrConv = this.registerModule('LR_conv', convLayer(nf, nf, 3));
    this.upsampler = this.registerModule(
      'upsampler',
      new Sequential([convLayer(nf, ch * this.scale ** 2, 3), new PixelShuffle(this.scale)]),
    );
  }

  /**
   * Convolutions: `fea_conv` 1 + 4 per block (`c1..c4`) + `LR_conv` 1 + upsampler 1; the
   * channel attention pools over the whole input, so the field is also global.
   */
  get receptiveField(): ReceptiveField {
    return { radius: 3 + 4 * this.blocks.length, global: true };
  }

  upscale(x: SymbolicTensor): SymbolicTensor {
    const fea = this.feaConv.call(x);
    const outs: SymbolicTensor[] = [];
    let h = fea;
    for (const b of this.blocks) {
      h = b.call(h);
      outs.push(h);
    }
    const body = this.lrConv.call(this.c.call(F.concat(outs, 1)));
    return this.upsampler.call(F.add(body, fea));
  }
}

/** `x + sub(x)` (the reference `ShortcutBlock`). */
export class ShortcutBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly sub: Module<[SymbolicTensor], SymbolicTensor>) {
    super();
    this.registerModule('sub', sub);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.add(x, this.sub.call(x));
  }
}

/** Options of {@link imdnRtc}. */
export interface ImdnRtcOptions extends SrCommonOptions {
  /** Upscaling factor (default 2, the published one). */
  readonly scale?: number;
  /** Image channels in and out (default 3). */
  readonly numChannels?: number;
  /** Feature width `nf` (default 12). */
  readonly features?: number;
  /** Number of blocks (default 5). */
  readonly numModules?: number;
}

/** The IMDN_RTC network (no attention: purely local, so tiling is exact); build it with {@link imdnRtc}. */
export class ImdnRtc extends SuperResolutionNet {
  readonly model: Sequential;
  readonly numModules: number;

  constructor(options: ImdnRtcOptions = {}) {
    super(positiveInt('imdnRtc: scale', options.scale ?? 2), options);
    const ch = positiveInt('imdnRtc: numChannels', options.numChannels ?? 3);
    const nf = positiveInt('imdnRtc: features', options.features ?? 12);
    const n = positiveInt('imdnRtc: numModules', options.numModules ?? 5, 0);
    this.numModules = n;
    const body = new Sequential([
      ...Array.from({ length: n }, () => new IMDModule(nf, { attention: false })),
      convLayer(nf, nf, 1),
    ]);
    this.model = this.registerModule(
      'model',
      new Sequential([
        convLayer(ch, nf, 3),
        new ShortcutBlock(body),
        convLayer(nf, ch * this.scale ** 2, 3),
        new PixelShuffle(this.scale),
      ]),
    );
  }

  /** First conv 1 + 4 per block + last conv 1 input pixels. */
  get receptiveField(): ReceptiveField {
    return { radius: 2 + 4 * this.numModules, global: false };
  }

  upscale(x: SymbolicTensor): SymbolicTensor {
    return this.model.call(x);
  }
}

/** Builds an IMDN (see {@link Imdn}). */
export function imdn(options: ImdnOptions): Imdn {
  return new Imdn(options);
}

/** Builds an IMDN_RTC (see {@link ImdnRtc}). */
export function imdnRtc(options: ImdnRtcOptions = {}): ImdnRtc {
  return new ImdnRtc(options);
}
