/**
 * FSRCNN (Dong et al. 2016, "Accelerating the Super-Resolution Convolutional Neural Network"):
 * feature extraction conv 5×5 to `d` channels, shrinking 1×1 to `s`, `m` mapping convs 3×3,
 * expanding 1×1 back to `d` (each followed by a per-channel PReLU), then a 9×9 deconvolution with
 * stride `scale`.
 *
 * State-dict keys follow yjn870/FSRCNN-pytorch (`models.py`, with `num_channels = 3`):
 * `first_part.0` conv + `first_part.1` PReLU; `mid_part.<2i>` conv / `mid_part.<2i+1>` PReLU for
 * the shrink, the `m` maps and the expand; `last_part` the `ConvTranspose2d(d, C, 9, stride=scale,
 * padding=4, output_padding=scale-1)`, so the output is exactly `input · scale`.
 * @module
 */
import { Conv2d, ConvTranspose2d, Sequential, type SymbolicTensor } from '@ocular/core';
import { positiveInt, type ReceptiveField, type SrCommonOptions, SuperResolutionNet } from './base.js';
import { PReLU } from './layers.js';

/** Options of {@link fsrcnn}. */
export interface FsrcnnOptions extends SrCommonOptions {
  /** Upscaling factor (any integer ≥ 1; 2, 3 and 4 are the published ones). */
  readonly scale: number;
  /** Image channels in and out (default 3, RGB). */
  readonly numChannels?: number;
  /** Feature width (default 56). */
  readonly d?: number;
  /** Shrunk width (default 12). */
  readonly s?: number;
  /** Number of 3×3 mapping layers (default 4). */
  readonly m?: number;
}

/** The FSRCNN network; build it with {@link fsrcnn}. */
export class Fsrcnn extends SuperResolutionNet {
  readonly firstPart: Sequential;
  readonly midPart: Sequential;
  readonly lastPart: ConvTranspose2d;
  readonly mappingLayers: number;

  constructor(options: FsrcnnOptions) {
    super(positiveInt('fsrcnn: scale', options.scale), options);
    const c = positiveInt('fsrcnn: numChannels', options.numChannels ?? 3);
    const d = positiveInt('fsrcnn: d', options.d ?? 56);
    const s = positiveInt('fsrcnn: s', options.s ?? 12);
    const m = positiveInt('fsrcnn: m', options.m ?? 4, 0);
    this.mappingLayers = m;
    this.firstPart = this.registerModule(
      'first_part',
      new Sequential([new Conv2d(c, d, 5, { padding: 2 }), new PReLU(d)]),
    );
    const mid = [new Conv2d(d, s, 1), new PReLU(s)];
    for (let i = 0; i < m; i++) mid.push(new Conv2d(s, s, 3, { padding: 1 }), new PReLU(s));
    mid.push(new Conv2d(s, d, 1), new PReLU(d));
    this.midPart = this.registerModule('mid_part', new Sequential(mid));
    this.lastPart = this.registerModule(
      'last_part',
      new ConvTranspose2d(d, c, 9, { stride: this.scale, padding: 4, outputPadding: this.scale - 1 }),
    );
  }

  /**
   * 2 (5×5) + m (3×3 maps) input pixels, plus the deconvolution's reach: output row
   * `y = p·scale + j` reads input rows `ceil((y − 4) / scale) .. floor((y + 4) / scale)`, at most
   * `max(floor(4 / scale), floor((scale + 3) / scale))` away from `p`.
   */
  get receptiveField(): ReceptiveField {
    const k = this.scale;
    return {
      radius: 2 + this.mappingLayers + Math.max(Math.floor(4 / k), Math.floor((k + 3) / k)),
      global: false,
    };
  }

  upscale(x: SymbolicTensor): SymbolicTensor {
    return this.lastPart.call(this.midPart.call(this.firstPart.call(x)));
  }
}

/** Builds an FSRCNN (see {@link Fsrcnn}). */
export function fsrcnn(options: FsrcnnOptions): Fsrcnn {
  return new Fsrcnn(options);
}
