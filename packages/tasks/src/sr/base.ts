/**
 * The common shape of every super-resolution network: a {@link TaskModule} from an image tensor
 * `[N, C, H, W]` (0–1) to `{ output: [N, C, H·scale, W·scale] }`, decoding to a `PixelImage`,
 * plus the facts tiling needs (scale, input multiple, receptive radius).
 * @module
 */
import {
  type DecodeContext,
  DecodeError,
  InvalidArgumentError,
  Module,
  type PixelImage,
  type SymbolicTensor,
  type TaskModule,
  type TaskName,
  type Tensor,
} from '@ocular/core';
import { type SrPixelFormat, srOutputToImage } from './decode.js';

/** How far an output pixel looks into the input, in input (low-resolution) pixels. */
export interface ReceptiveField {
  /**
   * An upper bound of how many input pixels on each side of an output pixel's own input pixel
   * can change it through the network's convolutions.
   */
  readonly radius: number;
  /**
   * True when the network also uses statistics of the whole input (global pooling): no finite
   * overlap makes tiled and whole-image results equal then.
   */
  readonly global: boolean;
}

/** Options every super-resolution builder accepts. */
export interface SrCommonOptions {
  /** Pixel format `decode` returns (default `uint8`). */
  readonly outputFormat?: SrPixelFormat;
}

/** Checks an integer option. */
export function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min)
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** Base class of the super-resolution networks. */
export abstract class SuperResolutionNet
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskModule<PixelImage>
{
  readonly task: TaskName = 'super-resolution';
  readonly outputNames: readonly string[] = ['output'];
  /** Pixel format of {@link SuperResolutionNet.decode}. */
  outputFormat: SrPixelFormat;

  protected constructor(
    /** Upscaling factor: output = input · scale on both axes. */
    readonly scale: number,
    options: SrCommonOptions = {},
  ) {
    super();
    this.outputFormat = options.outputFormat ?? 'uint8';
  }

  /** Input height and width must be multiples of this (pixel-unshuffle inputs); 1 otherwise. */
  get inputMultiple(): number {
    return 1;
  }

  /** The network's receptive field (for tile overlaps). */
  abstract get receptiveField(): ReceptiveField;

  /** The upscaled image tensor `[N, C_out, H·scale, W·scale]`. */
  abstract upscale(x: SymbolicTensor): SymbolicTensor;

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    return { output: this.upscale(x) };
  }

  /** The upscaled image of batch index 0 as pixels (see `srOutputToImage`). */
  decode(raw: Readonly<Record<string, Tensor>>, _context?: DecodeContext): PixelImage {
    const t = raw.output;
    if (!t)
      throw new DecodeError(
        `super-resolution decode needs the output 'output', got [${Object.keys(raw).join(', ')}]`,
      );
    return srOutputToImage(t, { format: this.outputFormat });
  }
}
