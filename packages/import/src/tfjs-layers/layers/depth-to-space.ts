/**
 * A converter factory for custom pixel-shuffle layers (a Keras `Lambda` or registered class
 * calling `tf.nn.depth_to_space`, or PyTorch-style PixelShuffle ports). TF.js has no built-in
 * layer for it, so models register their own class; pass the converter in
 * `options.customLayers` under that class name.
 * @module
 */
import type { LayerConverter } from '../context.js';

/** Options of {@link depthToSpaceConverter}. */
export interface DepthToSpaceOptions {
  /** Fixed block size; otherwise read from the layer config. */
  blockSize?: number;
  /** Config keys tried for the block size (default `block_size`, `blockSize`, `scale`, `upscale_factor`). */
  configKeys?: readonly string[];
  /**
   * Channel order: `'DCR'` (default) is TF's `depth_to_space` in NHWC (output channel c of block
   * offset (i, j) reads input channel `(i·b + j)·C + c`); `'CRD'` is PyTorch's PixelShuffle
   * (`c·b² + i·b + j`).
   */
  mode?: 'DCR' | 'CRD';
}

/** A converter emitting ONNX DepthToSpace on the stored NCHW value. */
export function depthToSpaceConverter(options: DepthToSpaceOptions = {}): LayerConverter {
  const keys = options.configKeys ?? ['block_size', 'blockSize', 'scale', 'upscale_factor'];
  return (ctx, [x]) => {
    let b = options.blockSize;
    for (const k of keys)
      if (b === undefined && typeof ctx.config[k] === 'number') b = ctx.config[k] as number;
    if (b === undefined || !Number.isInteger(b) || b < 1) {
      return ctx.fail(`no block size: set it in the converter options or in config key ${keys.join('/')}`);
    }
    if (x!.rank !== 4) ctx.fail(`expects a rank-4 input, got rank ${x!.rank}`);
    return [ctx.op('DepthToSpace', [x!], { blocksize: b, mode: options.mode ?? 'DCR' })];
  };
}
