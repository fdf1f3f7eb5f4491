/**
 * RRDBNet, the generator of ESRGAN (Wang et al. 2018) and Real-ESRGAN, with BasicSR's names
 * (`basicsr/archs/rrdbnet_arch.py`): `conv_first`, `body.<i>.rdb1..rdb3.conv1..conv5` (residual
 * dense blocks, LeakyReLU 0.2, residuals scaled by 0.2 in each block and each RRDB), `conv_body`,
 * `conv_up1` / `conv_up2` (each after a nearest ×2 upsampling), `conv_hr`, `conv_last`.
 *
 * The body always upsamples ×4; as BasicSR does, scale 2 and scale 1 first pixel-unshuffle the
 * input by 2 and 4 (so `conv_first` takes 4× and 16× the channels, and the input's height and
 * width must be multiples of 2 and 4).
 * @module
 */
import { Conv2d, F, InvalidArgumentError, Module, Sequential, type SymbolicTensor } from '@ocular/core';
import { positiveInt, type ReceptiveField, type SrCommonOptions, SuperResolutionNet } from './base.js';

function conv3(cin: number, cout: number): Conv2d {
  return new Conv2d(cin, cout, 3, { padding: 1 });
}

/** A residual dense block: five densely connected 3×3 convs, `x + 0.2 · conv5(...)`. */
export class ResidualDenseBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly convs: readonly Conv2d[];

  constructor(numFeat: number, numGrowCh: number) {
    super();
    this.convs = Array.from({ length: 5 }, (_, i) =>
      this.registerModule(`conv${i + 1}`, conv3(numFeat + i * numGrowCh, i < 4 ? numGrowCh : numFeat)),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const feats = [x];
    for (let i = 0; i < 4; i++) feats.push(F.leakyRelu(this.convs[i]!.call(F.concat(feats, 1)), 0.2));
    return F.add(F.mul(this.convs[4]!.call(F.concat(feats, 1)), 0.2), x);
  }
}

/** Residual in residual dense block: three RDBs, `x + 0.2 · rdb3(rdb2(rdb1(x)))`. */
export class RRDB extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly rdb1: ResidualDenseBlock;
  readonly rdb2: ResidualDenseBlock;
  readonly rdb3: ResidualDenseBlock;

  constructor(numFeat: number, numGrowCh: number) {
    super();
    this.rdb1 = this.registerModule('rdb1', new ResidualDenseBlock(numFeat, numGrowCh));
    this.rdb2 = this.registerModule('rdb2', new ResidualDenseBlock(numFeat, numGrowCh));
    this.rdb3 = this.registerModule('rdb3', new ResidualDenseBlock(numFeat, numGrowCh));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const out = this.rdb3.call(this.rdb2.call(this.rdb1.call(x)));
    return F.add(F.mul(out, 0.2), x);
  }
}

/** Options of {@link rrdbNet}. */
export interface RrdbNetOptions extends SrCommonOptions {
  /** 4 (ESRGAN), 2 or 1 (pixel-unshuffled input); default 4. */
  readonly scale?: number;
  /** Input channels (default 3). */
  readonly numInCh?: number;
  /** Output channels (default 3). */
  readonly numOutCh?: number;
  /** Feature width (default 64). */
  readonly numFeat?: number;
  /** Number of RRDBs (default 23). */
  readonly numBlock?: number;
  /** Growth channels of the dense blocks (default 32). */
  readonly numGrowCh?: number;
}

/** The RRDBNet network; build it with {@link rrdbNet}. */
export class RrdbNet extends SuperResolutionNet {
  readonly convFirst: Conv2d;
  readonly body: Sequential;
  readonly convBody: Conv2d;
  readonly convUp1: Conv2d;
  readonly convUp2: Conv2d;
  readonly convHr: Conv2d;
  readonly convLast: Conv2d;
  /** Pixel-unshuffle factor of the input (1 at scale 4, 2 at scale 2, 4 at scale 1). */
  readonly unshuffle: number;

  constructor(options: RrdbNetOptions = {}) {
    const scale = options.scale ?? 4;
    if (scale !== 1 && scale !== 2 && scale !== 4)
      throw new InvalidArgumentError(
        `rrdbNet: scale must be 1, 2 or 4 (the body upsamples ×4), got ${scale}`,
      );
    super(scale, options);
    this.unshuffle = 4 / scale;
    const inCh = positiveInt('rrdbNet: numInCh', options.numInCh ?? 3);
    const outCh = positiveInt('rrdbNet: numOutCh', options.numOutCh ?? 3);
    const nf = positiveInt('rrdbNet: numFeat', options.numFeat ?? 64);
    const nb = positiveInt('rrdbNet: numBlock', options.numBlock ?? 23, 0);
    const gc = positiveInt('rrdbNet: numGrowCh', options.numGrowCh ?? 32);
    this.convFirst = this.registerModule('conv_first', conv3(inCh * this.unshuffle ** 2, nf));
    this.body = this.registerModule(
      'body',
      new Sequential(Array.from({ length: nb }, () => new RRDB(nf, gc))),
    );
    this.convBody = this.registerModule('conv_body', conv3(nf, nf));
    this.convUp1 = this.registerModule('conv_up1', conv3(nf, nf));
    this.convUp2 = this.registerModule('conv_up2', conv3(nf, nf));
    this.convHr = this.registerModule('conv_hr', conv3(nf, nf));
    this.convLast = this.registerModule('conv_last', conv3(nf, outCh));
  }

  override get inputMultiple(): number {
    return this.unshuffle;
  }

  /**
   * Worked back from an output pixel: `conv_last`, `conv_hr`, `conv_up2` reach 3 pixels at ×4,
   * at most 2 after the nearest ×2 step down; `conv_up1` makes 3 at ×2, at most 2 at feature
   * resolution; then `conv_body` 1 + 15 per RRDB + `conv_first` 1. A feature pixel covers
   * `unshuffle` input pixels, so the radius in input pixels is `unshuffle · R + unshuffle − 1`.
   */
  get receptiveField(): ReceptiveField {
    const r = 2 + 1 + 15 * this.body.length + 1;
    return { radius: this.unshuffle * r + this.unshuffle - 1, global: false };
  }

  upscale(x: SymbolicTensor): SymbolicTensor {
    const input = this.unshuffle === 1 ? x : F.pixelUnshuffle(x, this.unshuffle);
    const feat = this.convFirst.call(input);
    const body = this.convBody.call(this.body.length ? this.body.call(feat) : feat);
    let h = F.add(feat, body);
    h = F.leakyRelu(this.convUp1.call(F.interpolate(h, { scaleFactor: 2, mode: 'nearest' })), 0.2);
    h = F.leakyRelu(this.convUp2.call(F.interpolate(h, { scaleFactor: 2, mode: 'nearest' })), 0.2);
    return this.convLast.call(F.leakyRelu(this.convHr.call(h), 0.2));
  }
}

/** Builds an RRDBNet (see {@link RrdbNet}). */
export function rrdbNet(options: RrdbNetOptions = {}): RrdbNet {
  return new RrdbNet(options);
}
