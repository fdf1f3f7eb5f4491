/**
 * Parity cases of the layout ops (shape and indexing categories). Shape-like operands (shapes,
 * axes, pads, starts, indices of constant-index ops) are int64 initializers, as exporters write
 * them. int64 values are given as JS numbers, so no case uses INT64_MAX sentinels (they do not
 * survive the trip through a double); large in-range ends stand in for them.
 * @module
 */
import type { DType } from '../../dtype.js';
import { Tensor } from '../../tensor.js';
import type { OpCase, OpCaseInput } from './types.js';

/** A random float32 input of `shape`. */
function f32(...shape: number[]): OpCaseInput {
  return { dtype: 'float32', shape };
}

/** A constant int64 initializer (1-D unless `shape` is given). */
function i64(values: readonly number[], shape: readonly number[] = [values.length]): OpCaseInput {
  return { dtype: 'int64', shape, values, constant: true };
}

/** A constant scalar of `dtype`. */
function scalar(dtype: DType, value: number): OpCaseInput {
  return { dtype, shape: [], values: [value], constant: true };
}

const SHAPE_CASES: OpCase[] = [
  { name: 'reshape_copy_and_infer', op: 'Reshape', inputs: [f32(2, 3, 4), i64([0, -1])] },
  { name: 'reshape_int64_data', op: 'Reshape', inputs: [{ dtype: 'int64', shape: [2, 6] }, i64([3, -1, 2])] },
  { name: 'transpose_perm', op: 'Transpose', inputs: [f32(2, 3, 4, 5)], attrs: { perm: [0, 2, 3, 1] } },
  { name: 'transpose_default', op: 'Transpose', inputs: [f32(2, 3, 4)] },
  { name: 'flatten_axis2', op: 'Flatten', inputs: [f32(2, 3, 4, 5)], attrs: { axis: 2 } },
  { name: 'flatten_axis0', op: 'Flatten', inputs: [f32(2, 3, 4)], attrs: { axis: 0 } },
  { name: 'squeeze_axes', op: 'Squeeze', inputs: [f32(2, 1, 3, 1), i64([1, -1])] },
  { name: 'squeeze_all', op: 'Squeeze', inputs: [f32(1, 3, 1)] },
  { name: 'unsqueeze_axes', op: 'Unsqueeze', inputs: [f32(2, 3), i64([0, 3])] },
  {
    name: 'concat_axis1',
    op: 'Concat',
    inputs: [f32(2, 1, 3), f32(2, 4, 3), f32(2, 2, 3)],
    attrs: { axis: 1 },
  },
  {
    name: 'concat_int64_negative_axis',
    op: 'Concat',
    inputs: [
      { dtype: 'int64', shape: [2, 2] },
      { dtype: 'int64', shape: [2, 3] },
    ],
    attrs: { axis: -1 },
  },
  {
    name: 'split_sizes',
    op: 'Split',
    inputs: [f32(2, 6), i64([1, 2, 3])],
    attrs: { axis: 1 },
    numOutputs: 3,
  },
  {
    name: 'split_num_outputs_uneven',
    op: 'Split',
    inputs: [f32(7, 2)],
    attrs: { num_outputs: 3 },
    numOutputs: 3,
  },
  { name: 'expand_both_ways', op: 'Expand', inputs: [f32(3, 1), i64([2, 1, 4])] },
  { name: 'expand_int64', op: 'Expand', inputs: [{ dtype: 'int64', shape: [1, 3] }, i64([4, 3])] },
  { name: 'tile', op: 'Tile', inputs: [f32(2, 3), i64([2, 3])] },
  { name: 'depth_to_space_dcr', op: 'DepthToSpace', inputs: [f32(2, 8, 2, 3)], attrs: { blocksize: 2 } },
  {
    name: 'depth_to_space_crd',
    op: 'DepthToSpace',
    inputs: [f32(1, 8, 3, 2)],
    attrs: { blocksize: 2, mode: 'CRD' },
  },
  { name: 'space_to_depth', op: 'SpaceToDepth', inputs: [f32(1, 2, 4, 6)], attrs: { blocksize: 2 } },
  { name: 'identity', op: 'Identity', inputs: [f32(2, 3)] },
  { name: 'dropout_inference', op: 'Dropout', inputs: [f32(2, 3), scalar('float32', 0.5)] },
  { name: 'dropout_with_mask', op: 'Dropout', inputs: [f32(3, 4)], numOutputs: 2 },
  { name: 'shape', op: 'Shape', inputs: [f32(2, 3, 4)] },
  { name: 'shape_start_end', op: 'Shape', inputs: [f32(2, 3, 4, 5)], attrs: { start: 1, end: -1 } },
  { name: 'size', op: 'Size', inputs: [f32(2, 3, 4)] },
  {
    name: 'constant_tensor',
    op: 'Constant',
    inputs: [],
    attrs: { value: Tensor.from('float32', [1, -2.5, 3, 4], [2, 2]) },
  },
  { name: 'constant_value_ints', op: 'Constant', inputs: [], attrs: { value_ints: [3, -1, 7] } },
  { name: 'constant_of_shape_default', op: 'ConstantOfShape', inputs: [i64([2, 3])] },
  {
    name: 'constant_of_shape_int64',
    op: 'ConstantOfShape',
    inputs: [i64([3, 2])],
    attrs: { value: Tensor.from('int64', [7n], [1]) },
  },
  {
    name: 'range_float32',
    op: 'Range',
    inputs: [scalar('float32', 1), scalar('float32', 3.1), scalar('float32', 0.25)],
  },
  {
    name: 'range_int64_negative',
    op: 'Range',
    inputs: [scalar('int64', 10), scalar('int64', -4), scalar('int64', -3)],
  },
];

const INDEXING_CASES: OpCase[] = [
  { name: 'slice_basic', op: 'Slice', inputs: [f32(4, 5, 6), i64([1, 0]), i64([3, 1000]), i64([0, 2])] },
  {
    name: 'slice_negative_steps',
    op: 'Slice',
    inputs: [f32(4, 5, 6), i64([-1, 4]), i64([-1000, 0]), i64([0, -1]), i64([-2, -1])],
  },
  { name: 'slice_clamped_default_axes', op: 'Slice', inputs: [f32(3, 4), i64([-100, 2]), i64([2, 100])] },
  {
    name: 'gather_axis1_2d_indices',
    op: 'Gather',
    inputs: [f32(3, 4, 2), i64([0, -1, 2, 1], [2, 2])],
    attrs: { axis: 1 },
  },
  {
    name: 'gather_random_indices',
    op: 'Gather',
    inputs: [f32(5, 3), { dtype: 'int64', shape: [4], range: [-5, 4] }],
  },
  {
    name: 'gather_elements_axis1',
    op: 'GatherElements',
    inputs: [f32(3, 4), i64([3, 0, -1, 1, 2, 2, 0, 0, 1], [3, 3])],
    attrs: { axis: 1 },
  },
  { name: 'gather_nd', op: 'GatherND', inputs: [f32(2, 3, 4), i64([0, 1, 1, 2, 1, 0], [3, 2])] },
  {
    name: 'gather_nd_batch_dims',
    op: 'GatherND',
    inputs: [f32(2, 3, 4), i64([1, 0, 2, 2], [2, 2, 1])],
    attrs: { batch_dims: 1 },
  },
  {
    name: 'scatter_elements_none',
    op: 'ScatterElements',
    inputs: [f32(3, 3), i64([1, 0, 2, 0, 2, 1], [2, 3]), f32(2, 3)],
  },
  {
    name: 'scatter_elements_add_duplicates',
    op: 'ScatterElements',
    inputs: [f32(3, 3), i64([1, 1, 2, 1, 1, -1], [2, 3]), f32(2, 3)],
    attrs: { reduction: 'add' },
  },
  {
    name: 'scatter_elements_max_axis1',
    op: 'ScatterElements',
    inputs: [f32(2, 4), i64([3, 3, 0, 1], [2, 2]), f32(2, 2)],
    attrs: { axis: 1, reduction: 'max' },
  },
  { name: 'scatter_nd', op: 'ScatterND', inputs: [f32(4, 4), i64([1, 3], [2, 1]), f32(2, 4)] },
  {
    name: 'scatter_nd_add',
    op: 'ScatterND',
    inputs: [f32(2, 3), i64([0, 2, 1, 1, 0, 2], [3, 2]), f32(3)],
    attrs: { reduction: 'add' },
  },
  {
    name: 'pad_constant_value',
    op: 'Pad',
    inputs: [f32(1, 2, 3, 3), i64([0, 0, 1, 2, 0, 0, 2, 1]), scalar('float32', 1.5)],
  },
  {
    name: 'pad_reflect',
    op: 'Pad',
    inputs: [f32(1, 2, 4, 4), i64([0, 0, 2, 1, 0, 0, 1, 3])],
    attrs: { mode: 'reflect' },
  },
  {
    name: 'pad_edge_axes',
    op: 'Pad',
    inputs: [f32(2, 3, 4), i64([2, 1]), null, i64([-1])],
    attrs: { mode: 'edge' },
  },
  { name: 'pad_negative_crop', op: 'Pad', inputs: [f32(3, 5), i64([-1, 1, 0, -2])] },
  {
    name: 'one_hot',
    op: 'OneHot',
    inputs: [
      i64([0, 4, -1, 2, -5, 1], [2, 3]),
      scalar('int64', 5),
      { dtype: 'float32', shape: [2], values: [-1, 3] },
    ],
  },
  {
    name: 'one_hot_axis0',
    op: 'OneHot',
    inputs: [
      i64([1, 0, 3]),
      scalar('int64', 4),
      { dtype: 'float32', shape: [2], values: [0, 1], constant: true },
    ],
    attrs: { axis: 0 },
  },
  {
    name: 'non_zero',
    op: 'NonZero',
    inputs: [{ dtype: 'float32', shape: [3, 4], values: [0, 1, 0, -2, 3, 0, 0, 0, 0.5, 0, 7, 0] }],
  },
];

/** Parity cases of the shape and indexing ops. */
export const LAYOUT_OP_CASES: readonly OpCase[] = [...SHAPE_CASES, ...INDEXING_CASES];
