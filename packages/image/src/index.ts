/**
 * `@ocular/image`: image I/O and preprocessing for Ocular. Decode and encode PNG, JPEG and WebP
 * (sharp in Node, canvas APIs in browsers) with size limits checked before decoding; resize
 * centre-aligned exactly like PyTorch's `F.interpolate`; letterbox, stretch, crop; channel and
 * layout conversions; image ↔ tensor; drawing of detections and segmentations.
 * @module
 */
export { bgrToRgb, chwToHwc, hwcToChw, rgbToBgr, type ToRgbOptions, toRgb, toRgba } from './color.js';
export {
  type DrawBox,
  type DrawBoxesOptions,
  type DrawDetectionsOptions,
  detectionLabel,
  drawBoxes,
  drawDetections,
  LABEL_PADDING,
  type LabelLayout,
  labelLayout,
} from './draw/boxes.js';
export { measureText } from './draw/canvas.js';
export { CAPTION_PADDING, type SideBySideOptions, sideBySide } from './draw/compose.js';
export { FONT_5X7, GLYPH_HEIGHT, GLYPH_WIDTH } from './draw/font5x7.js';
export {
  type OverlayMaskOptions,
  type OverlaySegmentationOptions,
  overlayMask,
  overlaySegmentation,
} from './draw/overlay.js';
export { makePalette, paletteColour, vocPalette } from './draw/palette.js';
export {
  crop,
  cropTransform,
  type LetterboxOptions,
  letterbox,
  mapBoxToInput,
  mapBoxToSource,
  type StretchOptions,
  stretch,
  type TransformedImage,
} from './geometry.js';
export type { CanvasLike } from './io/browser.js';
export { type EncodeOptions, encodeImage, formatFromPath, saveImage } from './io/encode.js';
export type { CodecChoice } from './io/env.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS } from './io/limits.js';
export { type LoadImageOptions, loadImage } from './io/load.js';
export { type ImageFormat, type ImageHeader, MIME_TYPES, probeImage } from './io/probe.js';
export type { ImageBitmapLike, ImageDataLike, ImageSource, VideoFrameLike } from './io/source.js';
export { lumaY, psnrY } from './metrics/psnr.js';
export {
  assertPixelImage,
  type Channels,
  createImage,
  isFloatImage,
  type PixelKind,
  toFloatImage,
  toUint8Image,
} from './pixel.js';
export { type ResizeOptions, resize } from './resize/resize.js';
export type { ResizeMethod } from './resize/weights.js';
export {
  type ChannelOrder,
  type FromTensorOptions,
  fromTensor,
  type ToTensorOptions,
  toTensor,
} from './tensor.js';
