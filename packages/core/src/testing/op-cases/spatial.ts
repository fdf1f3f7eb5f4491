/**
 * Parity cases of the spatial ops: convolution, pooling, resampling and detection. Small float32
 * shapes that still exercise groups, dilations, strides, asymmetric kernels and pads, auto_pad,
 * ceil_mode and the main Resize / GridSample modes.
 * @module
 */
import type { OpCase, OpCaseInput } from './types.js';

const f32 = (shape: readonly number[], range?: readonly [number, number]): OpCaseInput =>
  range ? { dtype: 'float32', shape, range } : { dtype: 'float32', shape };
const constF32 = (values: readonly number[]): OpCaseInput => ({
  dtype: 'float32',
  shape: [values.length],
  values,
  constant: true,
});
const constI64 = (values: readonly number[]): OpCaseInput => ({
  dtype: 'int64',
  shape: [values.length],
  values,
  constant: true,
});

const CONV: OpCase[] = [
  {
    name: 'conv_grouped_strided_asymmetric_pads',
    op: 'Conv',
    inputs: [f32([1, 4, 7, 6]), f32([6, 2, 3, 3]), f32([6])],
    attrs: { group: 2, strides: [2, 1], pads: [1, 0, 2, 1] },
  },
  {
    name: 'conv_depthwise_dilated',
    op: 'Conv',
    inputs: [f32([2, 3, 8, 8]), f32([6, 1, 3, 3])],
    attrs: { group: 3, dilations: [2, 2], pads: [2, 2, 2, 2] },
  },
  {
    name: 'conv_asymmetric_kernel_same_upper_stride2',
    op: 'Conv',
    inputs: [f32([1, 3, 7, 5]), f32([4, 3, 2, 3]), f32([4])],
    attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] },
  },
  {
    name: 'conv1d_valid_stride2',
    op: 'Conv',
    inputs: [f32([1, 2, 10]), f32([3, 2, 4])],
    attrs: { auto_pad: 'VALID', strides: [2] },
  },
  {
    name: 'convtranspose_stride2_output_padding',
    op: 'ConvTranspose',
    inputs: [f32([1, 4, 5, 5]), f32([4, 3, 3, 3]), f32([3])],
    attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] },
  },
  {
    name: 'convtranspose_group2_dilated',
    op: 'ConvTranspose',
    inputs: [f32([1, 4, 4, 4]), f32([4, 2, 3, 3])],
    attrs: { group: 2, dilations: [2, 2] },
  },
  {
    name: 'convtranspose_same_upper_stride2',
    op: 'ConvTranspose',
    inputs: [f32([1, 2, 5, 5]), f32([2, 3, 4, 4])],
    attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] },
  },
  {
    name: 'deformconv_offset_groups_mask_bias',
    op: 'DeformConv',
    inputs: [f32([1, 4, 5, 5]), f32([2, 2, 3, 3]), f32([1, 36, 5, 5]), f32([2]), f32([1, 18, 5, 5], [0, 1])],
    attrs: { group: 2, offset_group: 2, pads: [1, 1, 1, 1] },
  },
  {
    name: 'col2im_strided_padded',
    op: 'Col2Im',
    inputs: [f32([1, 12, 9]), constI64([5, 6]), constI64([2, 3])],
    attrs: { strides: [2, 2], pads: [1, 0, 1, 1] },
  },
];

const POOL: OpCase[] = [
  {
    name: 'averagepool_ceil_count_include_pad',
    op: 'AveragePool',
    inputs: [f32([1, 2, 7, 7])],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
  },
  {
    name: 'averagepool_dilated_padded',
    op: 'AveragePool',
    inputs: [f32([1, 2, 6, 7])],
    attrs: { kernel_shape: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1] },
  },
  {
    name: 'averagepool_same_lower_stride2',
    op: 'AveragePool',
    inputs: [f32([1, 3, 6, 6])],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' },
  },
  {
    name: 'maxpool_ceil_indices',
    op: 'MaxPool',
    inputs: [f32([1, 2, 6, 6])],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 },
    numOutputs: 2,
  },
  {
    name: 'maxpool_dilated_padded_column_major_indices',
    op: 'MaxPool',
    inputs: [f32([2, 2, 7, 6])],
    attrs: { kernel_shape: [2, 3], dilations: [2, 1], pads: [1, 1, 1, 1], storage_order: 1 },
    numOutputs: 2,
  },
  {
    name: 'maxpool_same_upper_stride2',
    op: 'MaxPool',
    inputs: [f32([1, 3, 7, 7])],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' },
  },
  {
    name: 'maxpool1d_padded',
    op: 'MaxPool',
    inputs: [f32([1, 3, 9])],
    attrs: { kernel_shape: [3], strides: [2], pads: [1, 1] },
  },
  { name: 'globalaveragepool', op: 'GlobalAveragePool', inputs: [f32([2, 3, 5, 4])] },
  { name: 'globalmaxpool', op: 'GlobalMaxPool', inputs: [f32([2, 3, 5, 4])] },
  {
    name: 'lppool_p2_stride2',
    op: 'LpPool',
    inputs: [f32([1, 2, 6, 6])],
    attrs: { kernel_shape: [2, 2], strides: [2, 2], p: 2 },
  },
];

const RESIZE: OpCase[] = [
  {
    name: 'resize_nearest_asymmetric_floor_x2',
    op: 'Resize',
    inputs: [f32([1, 2, 3, 4]), null, constF32([1, 1, 2, 2])],
    attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
  },
  {
    name: 'resize_linear_align_corners_sizes',
    op: 'Resize',
    inputs: [f32([1, 2, 4, 5]), null, null, constI64([1, 2, 7, 9])],
    attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
  },
  {
    name: 'resize_cubic_half_pixel_x2',
    op: 'Resize',
    inputs: [f32([1, 1, 4, 5]), null, constF32([1, 1, 2, 2])],
    attrs: { mode: 'cubic', coordinate_transformation_mode: 'half_pixel', cubic_coeff_a: -0.75 },
  },
  {
    name: 'resize_linear_antialias_downsample_axes',
    op: 'Resize',
    inputs: [f32([1, 2, 9, 8]), null, constF32([0.5, 0.4])],
    attrs: { mode: 'linear', antialias: 1, axes: [2, 3] },
  },
  {
    name: 'gridsample_linear_zeros',
    op: 'GridSample',
    inputs: [f32([1, 2, 4, 5]), f32([1, 3, 4, 2], [-1.2, 1.2])],
    attrs: { mode: 'linear', padding_mode: 'zeros', align_corners: 0 },
  },
  {
    name: 'gridsample_cubic_border_align_corners',
    op: 'GridSample',
    // Inside [-1, 1]: for cubic samples beyond the border, onnxruntime (like PyTorch) clamps each
    // tap while ONNX's reference clamps the sample position; the two agree inside the image.
    inputs: [f32([1, 2, 4, 5]), f32([1, 3, 4, 2], [-1, 1])],
    attrs: { mode: 'cubic', padding_mode: 'border', align_corners: 1 },
  },
  {
    name: 'gridsample_nearest_reflection',
    op: 'GridSample',
    inputs: [f32([2, 1, 5, 4]), f32([2, 2, 3, 2], [-1.7, 1.7])],
    attrs: { mode: 'nearest', padding_mode: 'reflection', align_corners: 0 },
  },
];

const DETECTION: OpCase[] = [
  {
    name: 'nonmaxsuppression_two_classes',
    op: 'NonMaxSuppression',
    inputs: [
      {
        dtype: 'float32',
        shape: [1, 6, 4],
        // [y1, x1, y2, x2]; boxes 0-2 overlap heavily, box 4 has its corners flipped.
        values: [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 1, 11, 0, 10.1, 0, 100, 1, 101],
      },
      {
        dtype: 'float32',
        shape: [1, 2, 6],
        values: [0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.1, 0.8, 0.7, 0.2, 0.9, 0.05],
      },
      constI64([3]),
      constF32([0.5]),
      constF32([0.0]),
    ],
    attrs: { center_point_box: 0 },
  },
  {
    name: 'roialign_avg_half_pixel',
    op: 'RoiAlign',
    inputs: [
      f32([2, 3, 8, 8]),
      { dtype: 'float32', shape: [3, 4], values: [0, 0, 7, 7, 2.5, 1, 10, 6.5, 1, 3, 4, 12] },
      { dtype: 'int64', shape: [3], values: [0, 1, 1] },
    ],
    attrs: { output_height: 3, output_width: 2, sampling_ratio: 2, spatial_scale: 0.5 },
  },
  {
    name: 'roialign_max_adaptive_sampling',
    op: 'RoiAlign',
    inputs: [
      f32([1, 2, 10, 10], [0, 1]),
      { dtype: 'float32', shape: [2, 4], values: [0, 0, 9, 9, 1.5, 2, 8, 6] },
      { dtype: 'int64', shape: [2], values: [0, 0] },
    ],
    attrs: { mode: 'max', output_height: 2, output_width: 2, sampling_ratio: 0 },
  },
];

/** Parity cases of the conv, pool, resize and detection ops. */
export const SPATIAL_OP_CASES: OpCase[] = [...CONV, ...POOL, ...RESIZE, ...DETECTION];
