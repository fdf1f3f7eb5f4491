/**
 * Typed results of vision tasks and the geometry that maps a model's input back to the source
 * image. Plain data only: results are serialisable and independent of any backend.
 * @module
 */

/** The tasks pipelines know. */
export type TaskName = 'classification' | 'detection' | 'segmentation' | 'super-resolution';

/**
 * Pixels in memory: interleaved channels, rows top to bottom (the layout of `ImageData`,
 * sharp's raw output and a canvas). 8-bit data is 0–255; float data is 0–1.
 */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array;
}

/** An axis-aligned box by its corners; `x2`/`y2` are exclusive edges (`x2 - x1` is the width). */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * How the model input was made from the source image, per axis:
 * `input = source * scale + offset` (a letterbox has equal scales and a centring offset; a
 * stretch has unequal scales and no offset; a crop a negative offset).
 */
export interface InputTransform {
  /** Size of the source image. */
  readonly source: Size;
  /** Size of the tensor fed to the model (without batch and channels). */
  readonly input: Size;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** One detected object. */
export interface Detection {
  /** Box in source-image pixels, clipped to the image. */
  readonly box: Box;
  /** The same box divided by the source width and height (0–1). */
  readonly normalizedBox: Box;
  readonly classId: number;
  /** Label of `classId` (`class <id>` when no labels were given). */
  readonly label: string;
  /** Confidence in 0–1. */
  readonly score: number;
}

/** The pixels of one class in a segmentation. */
export interface ClassMask {
  readonly classId: number;
  readonly label: string;
  /** 1 where the class won, 0 elsewhere; `width * height` bytes, row-major. */
  readonly mask: Uint8Array;
  /** Pixels in the mask. */
  readonly area: number;
  /** Mean confidence over the mask's pixels. */
  readonly meanScore: number;
}

/** A semantic segmentation at source-image resolution. */
export interface Segmentation {
  readonly width: number;
  readonly height: number;
  readonly numClasses: number;
  readonly labels: readonly string[];
  /** Winning class per pixel, row-major. */
  readonly classMap: Uint8Array | Uint16Array;
  /** Probability of the winning class per pixel (softmax, or sigmoid for one-logit models). */
  readonly confidence: Float32Array;
  /** One mask per class present in `classMap`, by class id. */
  readonly masks: readonly ClassMask[];
}

/** Milliseconds spent in each stage of a pipeline call. */
export interface TaskTimings {
  /** Compiling a session for a new input size (0 when a compiled one was reused). */
  readonly compileMs: number;
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly decodeMs: number;
  /** Everything, compilation included. */
  readonly totalMs: number;
}

/** What every pipeline call returns: the typed result plus where the time went. */
export interface TaskResult<R> {
  readonly task: TaskName;
  readonly result: R;
  readonly timings: TaskTimings;
  /** The backend that ran the model. */
  readonly backend: string;
  /** How the input tensor relates to the source image. */
  readonly transform: InputTransform;
}

/** One class of a classification result. */
export interface Classification {
  readonly classId: number;
  readonly label: string;
  readonly score: number;
}
