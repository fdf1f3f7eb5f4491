/**
 * Image to patch tokens (timm's `PatchEmbed`: `proj` conv with kernel = stride = patch size,
 * optional `norm`, flattened to `[B, N, C]`).
 * @module
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { flatten, pad, transpose } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Identity } from '../nn/containers.js';
import { Conv2d } from '../nn/conv.js';
import { Module } from '../nn/module.js';

/** Options of {@link PatchEmbed}. */
export interface PatchEmbedOptions {
  /** Expected image size (default 224); `null` accepts any size divisible by the patch. */
  readonly imgSize?: number | readonly [number, number] | null;
  /** Default 16. */
  readonly patchSize?: number | readonly [number, number];
  /** Default 3. */
  readonly inChans?: number;
  /** Default 768. */
  readonly embedDim?: number;
  /** Optional norm on the tokens (e.g. LayerNorm for Swin). */
  readonly normLayer?: (dim: number) => Module<[SymbolicTensor], SymbolicTensor>;
  /** Flatten to `[B, N, C]` (default true); false keeps NCHW. */
  readonly flatten?: boolean;
  /** Conv bias (default true). */
  readonly bias?: boolean;
  /** Require the input to be exactly `imgSize` (default true). */
  readonly strictImgSize?: boolean;
  /** Zero-pad right/bottom up to a multiple of the patch (default false). */
  readonly dynamicImgPad?: boolean;
}

function pair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Patchify conv → (flatten to tokens) → norm. */
export class PatchEmbed extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly proj: Conv2d;
  readonly norm: Module<[SymbolicTensor], SymbolicTensor>;
  readonly patchSize: readonly [number, number];
  readonly imgSize?: readonly [number, number];
  /** Patches per side at `imgSize`. */
  readonly gridSize?: readonly [number, number];
  /** Patches at `imgSize`. */
  readonly numPatches?: number;
  readonly flatten: boolean;
  readonly strictImgSize: boolean;
  readonly dynamicImgPad: boolean;

  constructor(options: PatchEmbedOptions = {}) {
    super();
    this.patchSize = pair(options.patchSize ?? 16);
    const img = options.imgSize === undefined ? 224 : options.imgSize;
    if (img !== null) {
      this.imgSize = pair(img);
      this.gridSize = [
        Math.floor(this.imgSize[0] / this.patchSize[0]),
        Math.floor(this.imgSize[1] / this.patchSize[1]),
      ];
      this.numPatches = this.gridSize[0] * this.gridSize[1];
    }
    this.flatten = options.flatten ?? true;
    this.strictImgSize = options.strictImgSize ?? true;
    this.dynamicImgPad = options.dynamicImgPad ?? false;
    const embed = options.embedDim ?? 768;
    this.proj = this.registerModule(
      'proj',
      new Conv2d(options.inChans ?? 3, embed, this.patchSize, {
        stride: this.patchSize,
        bias: options.bias ?? true,
      }),
    );
    this.norm = this.registerModule('norm', options.normLayer ? options.normLayer(embed) : new Identity());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const [, , h, w] = x.shape;
    const [ph, pw] = this.patchSize;
    if (typeof h !== 'number' || typeof w !== 'number') {
      throw new ShapeError(`PatchEmbed: image height and width must be static, got [${x.shape.join(', ')}]`);
    }
    if (this.imgSize && this.strictImgSize) {
      if (h !== this.imgSize[0] || w !== this.imgSize[1]) {
        throw new InvalidArgumentError(
          `PatchEmbed: input ${h}×${w} does not match the model's ${this.imgSize.join('×')}`,
        );
      }
    } else if (!this.dynamicImgPad && (h % ph || w % pw)) {
      throw new InvalidArgumentError(`PatchEmbed: input ${h}×${w} is not divisible by the patch ${ph}×${pw}`);
    }
    let y: SymbolicTensor = x;
    if (this.dynamicImgPad && (h % ph || w % pw))
      y = pad(y, [0, (pw - (w % pw)) % pw, 0, (ph - (h % ph)) % ph]);
    y = this.proj.call(y);
    if (this.flatten) y = transpose(flatten(y, 2), 1, 2); // NCHW → NLC
    return this.norm.call(y);
  }
}
