/**
 * PixelImage ↔ model tensors: normalisation, channel order and NCHW/NHWC layout.
 * @module
 */
import { InvalidArgumentError, type PixelImage, Tensor } from '@ocular/core';
import { assertPixelImage, isFloatImage, toByte } from './pixel.js';

/** Channel order of a tensor's colour channels. */
export type ChannelOrder = 'rgb' | 'bgr';

/** Options of {@link toTensor}. */
export interface ToTensorOptions {
  /** Per-channel mean subtracted after scaling, in the tensor's channel order. Default 0. */
  readonly mean?: readonly number[];
  /** Per-channel divisor applied after the mean, in the tensor's channel order. Default 1. */
  readonly std?: readonly number[];
  /** Factor applied to raw values first. Default 1/255 for uint8 images, 1 for float images. */
  readonly scale?: number;
  /** Order of the colour channels in the tensor (swaps R and B for `bgr`). Default `rgb`. */
  readonly channelOrder?: ChannelOrder;
  /** `nchw` → `[1, C, H, W]`, `nhwc` → `[1, H, W, C]`. Default `nchw`. */
  readonly layout?: 'nchw' | 'nhwc';
}

function perChannel(v: readonly number[] | undefined, C: number, fallback: number, name: string): number[] {
  if (v === undefined) return new Array<number>(C).fill(fallback);
  if (v.length === 1) return new Array<number>(C).fill(v[0]!);
  if (v.length !== C)
    throw new InvalidArgumentError(`${name} has ${v.length} values for a ${C}-channel image`, { [name]: v });
  return [...v];
}

/** Source channel read by tensor channel `c`. */
function channelMap(C: number, order: ChannelOrder): number[] {
  const map = Array.from({ length: C }, (_, c) => c);
  if (order === 'bgr') {
    if (C < 3) throw new InvalidArgumentError(`channelOrder 'bgr' needs 3 or 4 channels, got ${C}`);
    map[0] = 2;
    map[2] = 0;
  }
  return map;
}

/**
 * A float32 tensor of `img`: `value = (pixel · scale − mean[c]) / std[c]`, batch of one, in
 * NCHW (`[1, C, H, W]`) or NHWC (`[1, H, W, C]`); `mean`/`std` are in the tensor's channel order.
 */
export function toTensor(img: PixelImage, options: ToTensorOptions = {}): Tensor<'float32'> {
  assertPixelImage(img);
  const { width: W, height: H, channels: C } = img;
  const scale = options.scale ?? (isFloatImage(img) ? 1 : 1 / 255);
  const mean = perChannel(options.mean, C, 0, 'mean');
  const std = perChannel(options.std, C, 1, 'std');
  if (std.some((s) => s === 0 || !Number.isFinite(s)))
    throw new InvalidArgumentError(`std must be finite and non-zero, got [${std.join(', ')}]`);
  const map = channelMap(C, options.channelOrder ?? 'rgb');
  const layout = options.layout ?? 'nchw';
  if (layout !== 'nchw' && layout !== 'nhwc')
    throw new InvalidArgumentError(`layout must be 'nchw' or 'nhwc', got '${layout}'`);
  const n = W * H;
  const src = img.data;
  const out = new Float32Array(n * C);
  for (let c = 0; c < C; c++) {
    // (v·scale − mean)/std = v·a + b, folded per channel.
    const a = scale / std[c]!;
    const b = -mean[c]! / std[c]!;
    const sc = map[c]!;
    if (layout === 'nchw') {
      const base = c * n;
      for (let p = 0, q = sc; p < n; p++, q += C) out[base + p] = src[q]! * a + b;
    } else {
      for (let p = 0, q = sc; p < n; p++, q += C) out[p * C + c] = src[q]! * a + b;
    }
  }
  return new Tensor('float32', out, layout === 'nchw' ? [1, C, H, W] : [1, H, W, C]);
}

/** Options of {@link fromTensor}. */
export interface FromTensorOptions {
  /** Layout of `tensor` (a leading batch of 1 is optional). Default `nchw`. */
  readonly layout?: 'nchw' | 'nhwc';
  /** Value range mapped to 0–255: `[0, 1]` (default) or `[0, 255]`. */
  readonly range?: readonly [0, 1] | readonly [0, 255];
  /** Channel order of the tensor; `bgr` is swapped back to RGB. Default `rgb`. */
  readonly channelOrder?: ChannelOrder;
}

/**
 * A uint8 image from a float tensor `[1, C, H, W]` / `[C, H, W]` (or NHWC), with values scaled
 * from `range` to 0–255, rounded half up and clamped. C must be 1, 3 or 4.
 */
export function fromTensor(tensor: Tensor, options: FromTensorOptions = {}): PixelImage {
  const layout = options.layout ?? 'nchw';
  let dims = [...tensor.dims];
  if (dims.length === 4) {
    if (dims[0] !== 1)
      throw new InvalidArgumentError(`fromTensor takes a batch of one, got shape [${dims.join(', ')}]`);
    dims = dims.slice(1);
  }
  if (dims.length !== 3)
    throw new InvalidArgumentError(
      `fromTensor needs a rank-3 or rank-4 tensor, got [${tensor.dims.join(', ')}]`,
    );
  const [C, H, W] = layout === 'nchw' ? dims : [dims[2]!, dims[0]!, dims[1]!];
  if (C !== 1 && C !== 3 && C !== 4)
    throw new InvalidArgumentError(`fromTensor needs 1, 3 or 4 channels, got ${C} (layout ${layout})`);
  const values = tensor.dtype === 'float32' ? (tensor.data as Float32Array) : tensor.toFloat32();
  const range = options.range ?? [0, 1];
  if (range[0] !== 0 || (range[1] !== 1 && range[1] !== 255))
    throw new InvalidArgumentError(`range must be [0, 1] or [0, 255], got [${range.join(', ')}]`);
  const k = 255 / range[1];
  const map = channelMap(C, options.channelOrder ?? 'rgb');
  const n = W! * H!;
  const out = new Uint8Array(n * C);
  for (let c = 0; c < C; c++) {
    const dc = map[c]!; // swapping is symmetric, so the same map sends tensor channel → image channel
    if (layout === 'nchw') {
      const base = c * n;
      for (let p = 0; p < n; p++) out[p * C + dc] = toByte(values[base + p]! * k);
    } else {
      for (let p = 0; p < n; p++) out[p * C + dc] = toByte(values[p * C + c]! * k);
    }
  }
  return { width: W!, height: H!, channels: C, data: out };
}
