/**
 * Parameter-free and small layers the super-resolution networks share, as `torch.nn` modules so
 * `Sequential` indices (and hence state-dict keys) line up with the PyTorch implementations.
 * @module
 */
import { emit1, F, InvalidArgumentError, Module, type SymbolicTensor, Tensor } from '@ocular/core';

/** `nn.PixelShuffle`: `[N, C·r², H, W]` → `[N, C, H·r, W·r]` (ONNX `DepthToSpace`, CRD order). */
export class PixelShuffle extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly upscale: number) {
    super();
    if (!Number.isInteger(upscale) || upscale < 1)
      throw new InvalidArgumentError(`PixelShuffle: upscale must be a positive integer, got ${upscale}`);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.upscale === 1 ? x : F.pixelShuffle(x, this.upscale);
  }
}

/**
 * `nn.PReLU(numParameters)`: `max(0, x) + weight · min(0, x)` with one slope per channel (or one
 * shared). The `weight` parameter keeps PyTorch's `[numParameters]` shape; it is reshaped to
 * `[C, 1, 1]` in the graph so it broadcasts over NCHW.
 */
export class PReLU extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;

  constructor(
    readonly numParameters = 1,
    init = 0.25,
  ) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1)
      throw new InvalidArgumentError(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    this.weight = this.registerParameter(
      'weight',
      Tensor.from('float32', new Array<number>(numParameters).fill(init), [numParameters]),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const slope = F.reshape(this.weight, [this.numParameters, 1, 1]);
    return emit1('PRelu', [x, slope]);
  }
}
