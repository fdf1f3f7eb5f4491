/**
 * onnxruntime as an independent oracle for the math reference kernels: every math parity case,
 * plus cases in the other dtypes onnxruntime's CPU provider implements (float16, float64, int8,
 * int32, int64, uint8), runs on onnxruntime-node and on the reference interpreter, and the
 * outputs must agree.
 */
import { MATH_OP_CASES, type OpCase } from '@ocular/core/testing';
import { describeOrtAgreement } from './ort-oracle.js';

const HALF = { rtol: 2e-3, atol: 1e-3 };

/** Cases in dtypes other than float32. */
const OTHER_DTYPES: OpCase[] = [
  {
    name: 'f16_add',
    op: 'Add',
    inputs: [
      { dtype: 'float16', shape: [2, 3, 4] },
      { dtype: 'float16', shape: [4] },
    ],
    tolerance: HALF,
  },
  {
    name: 'f16_sigmoid',
    op: 'Sigmoid',
    inputs: [{ dtype: 'float16', shape: [3, 8], range: [-6, 6] }],
    tolerance: HALF,
  },
  {
    name: 'f16_softmax',
    op: 'Softmax',
    inputs: [{ dtype: 'float16', shape: [3, 8], range: [-4, 4] }],
    tolerance: HALF,
  },
  {
    name: 'f16_matmul',
    op: 'MatMul',
    inputs: [
      { dtype: 'float16', shape: [2, 3, 8] },
      { dtype: 'float16', shape: [8, 4] },
    ],
    tolerance: HALF,
  },
  {
    name: 'f16_layernorm',
    op: 'LayerNormalization',
    inputs: [
      { dtype: 'float16', shape: [2, 4, 8] },
      { dtype: 'float16', shape: [8], range: [0.5, 1.5], constant: true },
      { dtype: 'float16', shape: [8], constant: true },
    ],
    tolerance: HALF,
  },
  {
    name: 'f64_tanh',
    op: 'Tanh',
    inputs: [{ dtype: 'float64', shape: [4, 6], range: [-3, 3] }],
    tolerance: { rtol: 1e-12, atol: 1e-14 },
  },
  {
    name: 'f64_exp_log',
    op: 'Log',
    inputs: [{ dtype: 'float64', shape: [4, 6], range: [0.1, 9] }],
    tolerance: { rtol: 1e-12, atol: 1e-14 },
  },
  {
    name: 'f64_reduce_mean',
    op: 'ReduceMean',
    inputs: [
      { dtype: 'float64', shape: [2, 3, 4] },
      { dtype: 'int64', shape: [1], values: [2], constant: true },
    ],
  },
  { name: 'i8_relu', op: 'Relu', inputs: [{ dtype: 'int8', shape: [4, 5] }] },
  {
    name: 'i32_div',
    op: 'Div',
    inputs: [
      { dtype: 'int32', shape: [4, 5], range: [-50, 50] },
      { dtype: 'int32', shape: [5], range: [1, 7] },
    ],
  },
  {
    name: 'i32_neg_div',
    op: 'Div',
    inputs: [
      { dtype: 'int32', shape: [4, 5], range: [-50, 50] },
      { dtype: 'int32', shape: [5], range: [-7, -1] },
    ],
  },
  {
    name: 'i64_reduce_sum',
    op: 'ReduceSum',
    inputs: [
      { dtype: 'int64', shape: [3, 4] },
      { dtype: 'int64', shape: [1], values: [1], constant: true },
    ],
  },
  {
    name: 'i64_argmax',
    op: 'ArgMax',
    inputs: [{ dtype: 'int64', shape: [3, 7], range: [-1000, 1000] }],
    attrs: { axis: 1 },
  },
  {
    name: 'i64_cumsum',
    op: 'CumSum',
    inputs: [
      { dtype: 'int64', shape: [3, 4] },
      { dtype: 'int32', shape: [], values: [1], constant: true },
    ],
  },
  {
    name: 'i64_topk',
    op: 'TopK',
    inputs: [
      { dtype: 'int64', shape: [2, 9], range: [-1000, 1000] },
      { dtype: 'int64', shape: [1], values: [3], constant: true },
    ],
    numOutputs: 2,
  },
  {
    name: 'i64_matmul',
    op: 'MatMul',
    inputs: [
      { dtype: 'int64', shape: [3, 4] },
      { dtype: 'int64', shape: [4, 2] },
    ],
  },
  {
    name: 'i64_mul',
    op: 'Mul',
    inputs: [
      { dtype: 'int64', shape: [3, 4] },
      { dtype: 'int64', shape: [4] },
    ],
  },
  {
    name: 'u8_max',
    op: 'Max',
    inputs: [
      { dtype: 'uint8', shape: [3, 4] },
      { dtype: 'uint8', shape: [4] },
    ],
  },
  {
    name: 'i32_clip',
    op: 'Clip',
    inputs: [
      { dtype: 'int32', shape: [3, 4] },
      { dtype: 'int32', shape: [], values: [-3], constant: true },
      { dtype: 'int32', shape: [], values: [4], constant: true },
    ],
  },
  {
    name: 'f16_to_i64_cast',
    op: 'Cast',
    inputs: [{ dtype: 'float16', shape: [3, 4], range: [-50, 50] }],
    attrs: { to: 7 },
  },
  {
    name: 'i64_to_f16_cast',
    op: 'Cast',
    inputs: [{ dtype: 'int64', shape: [3, 4], range: [-3000, 3000] }],
    attrs: { to: 10 },
  },
  { name: 'bool_to_f32_cast', op: 'Cast', inputs: [{ dtype: 'bool', shape: [3, 4] }], attrs: { to: 1 } },
];

describeOrtAgreement('math ops agree with onnxruntime', [...MATH_OP_CASES, ...OTHER_DTYPES]);
