/**
 * What onnxruntime-web 1.30's WebAssembly execution provider cannot run, each with the reason
 * (it is built from the same CPU kernels as onnxruntime-node, and the gaps were checked on both):
 * - {@link WASM_UNSUPPORTED_OPS}: IR ops it lacks entirely (none at present);
 * - {@link WASM_KERNEL_GAPS}: ops it runs, but not for some dtypes or opset versions.
 * The lists were established by compiling every IR op for every dtype and by running the op
 * parity cases and the official ONNX node tests. The op parity suite (test/parity.test.ts)
 * skips exactly what these lists name and fails on anything else that does not match the
 * reference backend, so they stay honest.
 * @module
 */
import type { OrtKernelGap, UnsupportedOp } from '@ocular/core';

/** The newest default-domain opset onnxruntime 1.30 accepts (it refuses models stamped newer). */
export const WASM_MAX_OPSET = 26;

/** IR ops the wasm backend does not support at all. */
export const WASM_UNSUPPORTED_OPS: readonly UnsupportedOp[] = [];

const why = (op: string, runs: string) =>
  `onnxruntime's CPU ${op} has no kernel for this dtype (it runs ${runs})`;

/** Ops the wasm backend runs except for the listed dtypes or opsets. */
export const WASM_KERNEL_GAPS: readonly OrtKernelGap[] = [
  {
    opType: 'ArgMax',
    dtypes: ['int16', 'uint16', 'uint32', 'uint64'],
    reason: why('ArgMax', 'float, double, float16, int8, uint8, int32 and int64'),
  },
  {
    opType: 'ArgMin',
    dtypes: ['int16', 'uint16', 'uint32', 'uint64'],
    reason: why('ArgMin', 'float, double, float16, int8, uint8, int32 and int64'),
  },
  {
    opType: 'CumSum',
    dtypes: ['uint32', 'uint64'],
    reason: why('CumSum', 'float, double, float16, int32 and int64'),
  },
  {
    opType: 'Erf',
    dtypes: ['float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'],
    reason: why('Erf', 'float and float16'),
  },
  { opType: 'Gelu', dtypes: ['float64'], reason: why('Gelu', 'float and float16') },
  { opType: 'Hardmax', dtypes: ['float64'], reason: why('Hardmax', 'float and float16') },
  {
    opType: 'Max',
    dtypes: ['int16', 'uint16'],
    reason: why('Max', 'float, double, float16, int8, uint8, int32, uint32, int64 and uint64'),
  },
  { opType: 'Mean', dtypes: ['float64'], reason: why('Mean', 'float and float16') },
  {
    opType: 'Min',
    dtypes: ['int16', 'uint16'],
    reason: why('Min', 'float, double, float16, int8, uint8, int32, uint32, int64 and uint64'),
  },
  {
    opType: 'NonZero',
    dtypes: ['float64', 'int8', 'int16', 'uint16', 'uint32', 'uint64'],
    reason: why('NonZero', 'float, float16, bool, uint8, int32 and int64'),
  },
  {
    opType: 'Pow',
    dtypes: ['int8', 'uint8', 'int16', 'uint16', 'uint32', 'uint64'],
    reason: why('Pow', 'float, double, float16, int32 and int64 operands'),
  },
  {
    opType: 'PRelu',
    dtypes: ['uint32', 'uint64'],
    reason: why('PRelu', 'float, double, float16, int8, uint8, int16, uint16, int32 and int64'),
  },
  {
    opType: 'ReduceMax',
    dtypes: ['uint32', 'uint64', 'bool'],
    reason: why('ReduceMax', 'float, double, float16, int8, uint8, int32 and int64'),
  },
  {
    opType: 'ReduceMean',
    dtypes: ['uint32', 'uint64'],
    reason: why('ReduceMean', 'float, double, float16, int32 and int64'),
  },
  {
    opType: 'ReduceMin',
    dtypes: ['uint32', 'uint64', 'bool'],
    reason: why('ReduceMin', 'float, double, float16, int8, uint8, int32 and int64'),
  },
  {
    opType: 'ReduceProd',
    dtypes: ['uint32', 'uint64'],
    reason: why('ReduceProd', 'float, double, float16, int32 and int64'),
  },
  {
    opType: 'ReduceSum',
    dtypes: ['uint32', 'uint64'],
    reason: why('ReduceSum', 'float, double, float16, int32 and int64'),
  },
  {
    opType: 'ReduceSumSquare',
    dtypes: ['uint32', 'uint64'],
    reason: why('ReduceSumSquare', 'float, double, float16, int32 and int64'),
  },
  { opType: 'Relu', dtypes: ['int16'], reason: why('Relu', 'float, double, float16, int8, int32 and int64') },
  {
    opType: 'RoiAlign',
    minOpset: 22,
    reason:
      'onnxruntime 1.30 registers RoiAlign only up to opset 21 (a graph stamped 22 or newer finds no kernel)',
  },
  {
    opType: 'TopK',
    dtypes: ['uint16', 'uint32', 'uint64'],
    reason: why('TopK', 'float, double, float16, int8, uint8, int16, int32 and int64'),
  },
  {
    opType: 'Trilu',
    dtypes: ['int8', 'uint8', 'int16', 'uint16', 'uint32', 'uint64'],
    reason: why('Trilu', 'float, double, float16, bool, int32 and int64'),
  },
  {
    opType: 'Where',
    dtypes: ['int8', 'int16', 'uint16', 'uint32', 'uint64', 'bool'],
    match: 'outputs',
    reason: why('Where', 'float, double, float16, uint8, int32 and int64 data'),
  },
];
