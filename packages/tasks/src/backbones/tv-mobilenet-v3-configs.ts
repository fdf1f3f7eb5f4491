/**
 * The inverted-residual settings of torchvision's MobileNetV3 Large and Small
 * (`torchvision.models.mobilenetv3._mobilenet_v3_conf`), before width multiplier, reduced tail
 * and dilation are applied.
 * @module
 */

/** One inverted-residual block as torchvision lists it. */
export interface TvInvertedResidualSetting {
  readonly inputChannels: number;
  readonly kernel: number;
  readonly expandedChannels: number;
  readonly outChannels: number;
  readonly useSe: boolean;
  /** `'RE'` (ReLU) or `'HS'` (hard swish). */
  readonly activation: 'RE' | 'HS';
  readonly stride: 1 | 2;
  /**
   * Which blocks belong to the last stage (the `reducedTail` option halves their channels and
   * `dilated` gives them dilation 2).
   */
  readonly tail: boolean;
}

/** The architectures torchvision builds. */
export type TvMobileNetV3Arch = 'mobilenet_v3_large' | 'mobilenet_v3_small';

type Row = [number, number, number, number, boolean, 'RE' | 'HS', 1 | 2, boolean?];

function rows(list: readonly Row[]): TvInvertedResidualSetting[] {
  return list.map(
    ([inputChannels, kernel, expandedChannels, outChannels, useSe, activation, stride, tail]) => ({
      inputChannels,
      kernel,
      expandedChannels,
      outChannels,
      useSe,
      activation,
      stride,
      tail: tail ?? false,
    }),
  );
}

/** Per architecture: the blocks and the penultimate (classifier hidden) width. */
export const TV_MOBILENET_V3_CONFIGS: Readonly<
  Record<
    TvMobileNetV3Arch,
    { readonly blocks: readonly TvInvertedResidualSetting[]; readonly lastChannel: number }
  >
> = {
  mobilenet_v3_large: {
    blocks: rows([
      [16, 3, 16, 16, false, 'RE', 1],
      [16, 3, 64, 24, false, 'RE', 2],
      [24, 3, 72, 24, false, 'RE', 1],
      [24, 5, 72, 40, true, 'RE', 2],
      [40, 5, 120, 40, true, 'RE', 1],
      [40, 5, 120, 40, true, 'RE', 1],
      [40, 3, 240, 80, false, 'HS', 2],
      [80, 3, 200, 80, false, 'HS', 1],
      [80, 3, 184, 80, false, 'HS', 1],
      [80, 3, 184, 80, false, 'HS', 1],
      [80, 3, 480, 112, true, 'HS', 1],
      [112, 3, 672, 112, true, 'HS', 1],
      [112, 5, 672, 160, true, 'HS', 2, true],
      [160, 5, 960, 160, true, 'HS', 1, true],
      [160, 5, 960, 160, true, 'HS', 1, true],
    ]),
    lastChannel: 1280,
  },
  mobilenet_v3_small: {
    blocks: rows([
      [16, 3, 16, 16, true, 'RE', 2],
      [16, 3, 72, 24, false, 'RE', 2],
      [24, 3, 88, 24, false, 'RE', 1],
      [24, 5, 96, 40, true, 'HS', 2],
      [40, 5, 240, 40, true, 'HS', 1],
      [40, 5, 240, 40, true, 'HS', 1],
      [40, 5, 120, 48, true, 'HS', 1],
      [48, 5, 144, 48, true, 'HS', 1],
      [48, 5, 288, 96, true, 'HS', 2, true],
      [96, 5, 576, 96, true, 'HS', 1, true],
      [96, 5, 576, 96, true, 'HS', 1, true],
    ]),
    lastChannel: 1024,
  },
};
