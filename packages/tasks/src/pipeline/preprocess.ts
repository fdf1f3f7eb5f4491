/**
 * Turning a decoded image into the tensor a model expects, and recording how (the
 * {@link InputTransform} decoders use to map results back to the source image).
 * @module
 */
import type { InputTransform, PixelImage, Tensor } from '@ocular/core';
import { InvalidArgumentError } from '@ocular/core';
import { letterbox, stretch, toRgb, toTensor } from '@ocular/image';

/** How an image becomes a model input. Serialisable. */
export interface PreprocessConfig {
  /** Model input `[height, width]`; omitted: the image's own size (fully convolutional models). */
  readonly size?: readonly [number, number];
  /**
   * `letterbox` keeps the aspect ratio and pads (default: detectors and segmenters see objects
   * undistorted); `stretch` resizes each axis independently.
   */
  readonly resize?: 'letterbox' | 'stretch';
  /** Resampling filter (default `bilinear`). */
  readonly interpolation?: 'nearest' | 'bilinear' | 'bicubic' | 'area';
  /** Letterbox padding colour, 0–255 per channel (default `[114, 114, 114]`, as YOLO's letterbox). */
  readonly fill?: readonly number[];
  /** Per-channel mean, in 0–1 units, subtracted after scaling to 0–1 (default 0). */
  readonly mean?: readonly number[];
  /** Per-channel standard deviation, in 0–1 units (default 1). */
  readonly std?: readonly number[];
  /** Channel order the model was trained with (default `rgb`). */
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** What {@link preprocessImage} returns. */
export interface Preprocessed {
  /** `[1, 3, H, W]` float32. */
  readonly tensor: Tensor;
  readonly transform: InputTransform;
}

/** Resizes (letterbox or stretch), normalises and lays out an image as `[1, 3, H, W]`. */
export function preprocessImage(image: PixelImage, config: PreprocessConfig = {}): Preprocessed {
  const rgb = toRgb(image);
  const method = config.interpolation ?? 'bilinear';
  let resized: PixelImage = rgb;
  let transform: InputTransform = {
    source: { width: rgb.width, height: rgb.height },
    input: { width: rgb.width, height: rgb.height },
    scaleX: 1,
    scaleY: 1,
    offsetX: 0,
    offsetY: 0,
  };
  if (config.size) {
    const [height, width] = config.size;
    if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0))
      throw new InvalidArgumentError(
        `preprocess: size must be two positive integers, got [${config.size.join(', ')}]`,
      );
    const out =
      (config.resize ?? 'letterbox') === 'letterbox'
        ? letterbox(rgb, { width, height, method, fill: config.fill ?? [114, 114, 114] })
        : stretch(rgb, { width, height, method });
    resized = out.image;
    transform = out.transform;
  }
  const tensor = toTensor(resized, {
    mean: config.mean ?? [0, 0, 0],
    std: config.std ?? [1, 1, 1],
    channelOrder: config.channelOrder ?? 'rgb',
    layout: 'nchw',
  });
  return { tensor, transform };
}
