/**
 * Parity cases of the math ops (elementwise, activation, reduce, normalization, linalg): small
 * CV-like shapes, mostly float32. Input ranges keep every op away from its poles and ties
 * (positive operands for Sqrt/Log, divisors away from zero, distinct values for TopK/ArgMax), so
 * two correct backends agree to rounding.
 * @module
 */
import type { DType } from '../../dtype.js';
import type { OpCase, OpCaseInput } from './types.js';

/** A random float32 input of `shape` (values in [-1, 1] unless `range` is given). */
function f32(shape: readonly number[], range?: readonly [number, number]): OpCaseInput {
  return range ? { dtype: 'float32', shape, range } : { dtype: 'float32', shape };
}

/** A constant float32 initializer of `shape` with random values in `range`. */
function f32c(shape: readonly number[], range: readonly [number, number] = [-1, 1]): OpCaseInput {
  return { dtype: 'float32', shape, range, constant: true };
}

/** A random input of another dtype. */
function typed(dtype: DType, shape: readonly number[], range?: readonly [number, number]): OpCaseInput {
  return range ? { dtype, shape, range } : { dtype, shape };
}

/** A constant int64 initializer (1-D unless `shape` is given). */
function i64(values: readonly number[], shape: readonly number[] = [values.length]): OpCaseInput {
  return { dtype: 'int64', shape, values, constant: true };
}

/** A constant float32 scalar. */
function scalar(value: number): OpCaseInput {
  return { dtype: 'float32', shape: [], values: [value], constant: true };
}

const NCHW = [2, 3, 4, 5];
const POSITIVE: readonly [number, number] = [0.25, 4];

const ELEMENTWISE_CASES: OpCase[] = [
  { name: 'add_bcast_channel', op: 'Add', inputs: [f32(NCHW), f32([3, 1, 1])] },
  { name: 'add_int64', op: 'Add', inputs: [typed('int64', [3, 4]), typed('int64', [4])] },
  { name: 'sub_bcast_row', op: 'Sub', inputs: [f32([4, 5]), f32([5])] },
  { name: 'mul_bcast_both', op: 'Mul', inputs: [f32([2, 1, 4]), f32([3, 1])] },
  { name: 'mul_int32', op: 'Mul', inputs: [typed('int32', [2, 6]), typed('int32', [2, 6])] },
  { name: 'div_float', op: 'Div', inputs: [f32(NCHW), f32([5], POSITIVE)] },
  // Integer division truncates toward zero; divisors stay non-zero.
  {
    name: 'div_int32_truncates',
    op: 'Div',
    inputs: [typed('int32', [3, 4]), typed('int32', [3, 4], [1, 4])],
  },
  { name: 'pow_float', op: 'Pow', inputs: [f32([3, 4], POSITIVE), f32([4], [-2, 2])] },
  { name: 'pow_scalar_square', op: 'Pow', inputs: [f32(NCHW), scalar(2)] },
  { name: 'sqrt', op: 'Sqrt', inputs: [f32(NCHW, POSITIVE)] },
  { name: 'exp', op: 'Exp', inputs: [f32(NCHW, [-3, 3])] },
  { name: 'log', op: 'Log', inputs: [f32(NCHW, POSITIVE)] },
  { name: 'neg', op: 'Neg', inputs: [f32(NCHW)] },
  { name: 'abs', op: 'Abs', inputs: [f32(NCHW)] },
  { name: 'reciprocal', op: 'Reciprocal', inputs: [f32(NCHW, POSITIVE)] },
  { name: 'floor', op: 'Floor', inputs: [f32(NCHW, [-5, 5])] },
  { name: 'ceil', op: 'Ceil', inputs: [f32(NCHW, [-5, 5])] },
  {
    name: 'round_half_even',
    op: 'Round',
    inputs: [{ dtype: 'float32', shape: [8], values: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -3.7] }],
  },
  { name: 'round_random', op: 'Round', inputs: [f32(NCHW, [-5, 5])] },
  { name: 'sign', op: 'Sign', inputs: [{ dtype: 'float32', shape: [5], values: [-2, -0.5, 0, 0.5, 3] }] },
  { name: 'erf', op: 'Erf', inputs: [f32(NCHW, [-3, 3])] },
  { name: 'min_three_inputs', op: 'Min', inputs: [f32([2, 3, 4]), f32([3, 4]), f32([4])] },
  { name: 'max_two_inputs', op: 'Max', inputs: [f32(NCHW), f32([1, 3, 1, 1])] },
  { name: 'mean_three_inputs', op: 'Mean', inputs: [f32([2, 3]), f32([2, 3]), f32([3])] },
  { name: 'sum_three_inputs', op: 'Sum', inputs: [f32([2, 3, 4]), f32([4]), f32([3, 1])] },
  {
    name: 'equal_values',
    op: 'Equal',
    inputs: [
      { dtype: 'float32', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
      { dtype: 'float32', shape: [3], values: [1, 5, 3] },
    ],
  },
  { name: 'equal_int64', op: 'Equal', inputs: [typed('int64', [4, 5], [0, 3]), typed('int64', [5], [0, 3])] },
  { name: 'less_bcast', op: 'Less', inputs: [f32([3, 4]), f32([4])] },
  { name: 'greater_bcast', op: 'Greater', inputs: [f32([2, 3, 4]), f32([3, 1])] },
  { name: 'less_or_equal', op: 'LessOrEqual', inputs: [f32([3, 4]), f32([3, 4])] },
  { name: 'greater_or_equal', op: 'GreaterOrEqual', inputs: [f32([3, 4]), f32([4])] },
  { name: 'and_bcast', op: 'And', inputs: [typed('bool', [3, 4]), typed('bool', [4])] },
  { name: 'or_bcast', op: 'Or', inputs: [typed('bool', [3, 4]), typed('bool', [3, 1])] },
  { name: 'xor', op: 'Xor', inputs: [typed('bool', [3, 4]), typed('bool', [3, 4])] },
  { name: 'not', op: 'Not', inputs: [typed('bool', [3, 4])] },
  { name: 'where_bcast', op: 'Where', inputs: [typed('bool', [1, 3, 4, 1]), f32(NCHW), f32([5])] },
  { name: 'cast_float_to_float16', op: 'Cast', inputs: [f32(NCHW, [-100, 100])], attrs: { to: 10 } },
  // Float to int truncates toward zero.
  { name: 'cast_float_to_int32', op: 'Cast', inputs: [f32([4, 6], [-50, 50])], attrs: { to: 6 } },
  { name: 'cast_int64_to_float', op: 'Cast', inputs: [typed('int64', [3, 4])], attrs: { to: 1 } },
  {
    name: 'cast_float_to_bool',
    op: 'Cast',
    inputs: [{ dtype: 'float32', shape: [4], values: [0, -0, 0.5, -2] }],
    attrs: { to: 9 },
  },
  {
    name: 'castlike_to_float16',
    op: 'CastLike',
    inputs: [f32([3, 4], [-10, 10]), { dtype: 'float16', shape: [1], values: [0], constant: true }],
  },
];

const ACTIVATION_CASES: OpCase[] = [
  { name: 'relu', op: 'Relu', inputs: [f32(NCHW)] },
  { name: 'leaky_relu_alpha', op: 'LeakyRelu', inputs: [f32(NCHW)], attrs: { alpha: 0.2 } },
  { name: 'sigmoid', op: 'Sigmoid', inputs: [f32(NCHW, [-6, 6])] },
  {
    name: 'hard_sigmoid',
    op: 'HardSigmoid',
    inputs: [f32(NCHW, [-6, 6])],
    attrs: { alpha: 0.25, beta: 0.4 },
  },
  { name: 'hard_swish', op: 'HardSwish', inputs: [f32(NCHW, [-5, 5])] },
  { name: 'tanh', op: 'Tanh', inputs: [f32(NCHW, [-3, 3])] },
  { name: 'softplus', op: 'Softplus', inputs: [f32(NCHW, [-5, 5])] },
  { name: 'gelu_exact', op: 'Gelu', inputs: [f32(NCHW, [-4, 4])] },
  { name: 'gelu_tanh', op: 'Gelu', inputs: [f32(NCHW, [-4, 4])], attrs: { approximate: 'tanh' } },
  { name: 'elu', op: 'Elu', inputs: [f32(NCHW, [-3, 3])], attrs: { alpha: 0.5 } },
  { name: 'selu', op: 'Selu', inputs: [f32(NCHW, [-3, 3])] },
  { name: 'mish', op: 'Mish', inputs: [f32(NCHW, [-4, 4])] },
  { name: 'clip_relu6', op: 'Clip', inputs: [f32(NCHW, [-3, 9]), scalar(0), scalar(6)] },
  { name: 'clip_min_only', op: 'Clip', inputs: [f32(NCHW), scalar(-0.25), null] },
  { name: 'clip_max_only', op: 'Clip', inputs: [f32(NCHW), null, scalar(0.5)] },
  { name: 'prelu_per_channel', op: 'PRelu', inputs: [f32(NCHW), f32c([3, 1, 1], [0, 0.5])] },
  { name: 'prelu_scalar_slope', op: 'PRelu', inputs: [f32([2, 8]), f32c([1], [0, 0.5])] },
  { name: 'softmax_last_axis', op: 'Softmax', inputs: [f32([2, 3, 10], [-4, 4])] },
  { name: 'softmax_channel_axis', op: 'Softmax', inputs: [f32(NCHW, [-4, 4])], attrs: { axis: 1 } },
  { name: 'log_softmax', op: 'LogSoftmax', inputs: [f32([4, 10], [-4, 4])] },
  { name: 'log_softmax_axis0', op: 'LogSoftmax', inputs: [f32([4, 10], [-4, 4])], attrs: { axis: 0 } },
  { name: 'hardmax', op: 'Hardmax', inputs: [f32([3, 4, 5])] },
  { name: 'hardmax_axis1', op: 'Hardmax', inputs: [f32([3, 4, 5])], attrs: { axis: 1 } },
];

const REDUCE_CASES: OpCase[] = [
  { name: 'reduce_mean_spatial', op: 'ReduceMean', inputs: [f32(NCHW), i64([2, 3])] },
  { name: 'reduce_mean_all_no_keepdims', op: 'ReduceMean', inputs: [f32([3, 4, 5])], attrs: { keepdims: 0 } },
  { name: 'reduce_sum_channel', op: 'ReduceSum', inputs: [f32(NCHW), i64([1])], attrs: { keepdims: 0 } },
  { name: 'reduce_sum_negative_axes', op: 'ReduceSum', inputs: [f32(NCHW), i64([-1, -3])] },
  { name: 'reduce_max_axis', op: 'ReduceMax', inputs: [f32(NCHW), i64([1])] },
  { name: 'reduce_min_axes', op: 'ReduceMin', inputs: [f32(NCHW), i64([0, 2])], attrs: { keepdims: 0 } },
  { name: 'reduce_l2', op: 'ReduceL2', inputs: [f32(NCHW), i64([2, 3])] },
  { name: 'reduce_sum_square', op: 'ReduceSumSquare', inputs: [f32(NCHW), i64([3])] },
  { name: 'reduce_prod', op: 'ReduceProd', inputs: [f32([2, 3, 4], [0.5, 1.5]), i64([2])] },
  { name: 'argmax_axis1', op: 'ArgMax', inputs: [f32(NCHW)], attrs: { axis: 1 } },
  { name: 'argmax_last_no_keepdims', op: 'ArgMax', inputs: [f32([4, 10])], attrs: { axis: -1, keepdims: 0 } },
  { name: 'argmin_axis2', op: 'ArgMin', inputs: [f32(NCHW)], attrs: { axis: 2 } },
];

const NORMALIZATION_CASES: OpCase[] = [
  {
    name: 'batchnorm_inference',
    op: 'BatchNormalization',
    inputs: [f32([2, 4, 5, 5]), f32c([4], [0.5, 1.5]), f32c([4]), f32c([4]), f32c([4], [0.5, 2])],
    attrs: { epsilon: 1e-3 },
  },
  {
    name: 'layernorm_last_axis',
    op: 'LayerNormalization',
    inputs: [f32([2, 6, 8]), f32c([8], [0.5, 1.5]), f32c([8])],
  },
  {
    name: 'layernorm_two_axes_stats',
    op: 'LayerNormalization',
    inputs: [f32([2, 6, 8]), f32c([6, 8], [0.5, 1.5]), f32c([6, 8])],
    attrs: { axis: 1, epsilon: 1e-6 },
    numOutputs: 3,
  },
  {
    name: 'groupnorm_3_groups',
    op: 'GroupNormalization',
    inputs: [f32([2, 6, 4, 4]), f32c([6], [0.5, 1.5]), f32c([6])],
    attrs: { num_groups: 3 },
  },
  {
    name: 'instancenorm',
    op: 'InstanceNormalization',
    inputs: [f32([2, 3, 5, 5]), f32c([3], [0.5, 1.5]), f32c([3])],
  },
  { name: 'lpnorm_l2_channel', op: 'LpNormalization', inputs: [f32(NCHW)], attrs: { axis: 1, p: 2 } },
  { name: 'lpnorm_l1_last', op: 'LpNormalization', inputs: [f32([3, 8])], attrs: { axis: -1, p: 1 } },
];

const LINALG_CASES: OpCase[] = [
  { name: 'matmul_batched_weight', op: 'MatMul', inputs: [f32([2, 3, 4, 5]), f32c([5, 6])] },
  { name: 'matmul_batch_broadcast', op: 'MatMul', inputs: [f32([2, 1, 3, 4]), f32([1, 3, 4, 2])] },
  { name: 'matmul_vector_left', op: 'MatMul', inputs: [f32([5]), f32([2, 5, 3])] },
  {
    name: 'gemm_transb_bias',
    op: 'Gemm',
    inputs: [f32([4, 8]), f32c([6, 8]), f32c([6])],
    attrs: { transB: 1 },
  },
  {
    name: 'gemm_transa_alpha_beta',
    op: 'Gemm',
    inputs: [f32([8, 4]), f32([8, 6]), f32([4, 1])],
    attrs: { transA: 1, alpha: 0.5, beta: 2 },
  },
  {
    name: 'einsum_attention_scores',
    op: 'Einsum',
    inputs: [f32([2, 2, 5, 4]), f32([2, 2, 6, 4])],
    attrs: { equation: 'bhqd,bhkd->bhqk' },
  },
  {
    name: 'einsum_implicit_matmul',
    op: 'Einsum',
    inputs: [f32([3, 4]), f32([4, 5])],
    attrs: { equation: 'ij,jk' },
  },
  {
    name: 'einsum_ellipsis_transpose',
    op: 'Einsum',
    inputs: [f32([2, 3, 4, 5])],
    attrs: { equation: '...ij->...ji' },
  },
  { name: 'cumsum_axis1', op: 'CumSum', inputs: [f32([3, 6]), i64([1], [])] },
  {
    name: 'cumsum_exclusive_reverse',
    op: 'CumSum',
    inputs: [f32([2, 5, 3]), i64([1], [])],
    attrs: { exclusive: 1, reverse: 1 },
  },
  { name: 'topk_largest', op: 'TopK', inputs: [f32([3, 10]), i64([4])], numOutputs: 2 },
  {
    name: 'topk_smallest_axis1',
    op: 'TopK',
    inputs: [f32([2, 6, 3]), i64([2])],
    attrs: { axis: 1, largest: 0 },
    numOutputs: 2,
  },
  { name: 'trilu_upper_k1', op: 'Trilu', inputs: [f32([2, 4, 5]), i64([1], [])] },
  { name: 'trilu_lower', op: 'Trilu', inputs: [f32([4, 5])], attrs: { upper: 0 } },
];

/** Parity cases of the math ops. */
export const MATH_OP_CASES: readonly OpCase[] = [
  ...ELEMENTWISE_CASES,
  ...ACTIVATION_CASES,
  ...REDUCE_CASES,
  ...NORMALIZATION_CASES,
  ...LINALG_CASES,
];
