/**
 * What onnxruntime 1.30's CPU kernels cannot run, each with the reason. onnxruntime-node's CPU
 * execution provider and onnxruntime-web's WebAssembly one are built from the same kernels, so
 * the node and wasm backends share this list (it was checked on both, by compiling every IR op
 * for every dtype and by running the op parity cases and the official ONNX node tests). Each
 * backend's op parity suite skips exactly what its list names and fails on anything else that
 * does not match the reference backend, so the list stays honest.
 * @module
 */
import type { DType } from '../dtype.js';
import type { OrtKernelGap } from './ort-common.js';

/** The newest default-domain opset onnxruntime 1.30 accepts (it refuses models stamped newer). */
export const ORT_MAX_OPSET = 26;

/**
 * Dtype gaps, one row per set of ops onnxruntime registers the same kernel types for:
 * `[ops, dtypes without a kernel, the types it runs]`.
 */
const DTYPE_GAPS: readonly (readonly [readonly string[], readonly DType[], string])[] = [
  [
    ['ArgMax', 'ArgMin'],
    ['int16', 'uint16', 'uint32', 'uint64'],
    'float, double, float16, int8, uint8, int32 and int64',
  ],
  [
    ['CumSum', 'ReduceMean', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare'],
    ['uint32', 'uint64'],
    'float, double, float16, int32 and int64',
  ],
  [
    ['Erf'],
    ['float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'],
    'float and float16',
  ],
  [['Gelu', 'Hardmax', 'Mean'], ['float64'], 'float and float16'],
  [
    ['Max', 'Min'],
    ['int16', 'uint16'],
    'float, double, float16, int8, uint8, int32, uint32, int64 and uint64',
  ],
  [
    ['NonZero'],
    ['float64', 'int8', 'int16', 'uint16', 'uint32', 'uint64'],
    'float, float16, bool, uint8, int32 and int64',
  ],
  [
    ['Pow'],
    ['int8', 'uint8', 'int16', 'uint16', 'uint32', 'uint64'],
    'float, double, float16, int32 and int64 operands',
  ],
  [['PRelu'], ['uint32', 'uint64'], 'float, double, float16, int8, uint8, int16, uint16, int32 and int64'],
  [
    ['ReduceMax', 'ReduceMin'],
    ['uint32', 'uint64', 'bool'],
    'float, double, float16, int8, uint8, int32 and int64',
  ],
  [['Relu'], ['int16'], 'float, double, float16, int8, int32 and int64'],
  [['TopK'], ['uint16', 'uint32', 'uint64'], 'float, double, float16, int8, uint8, int16, int32 and int64'],
  [
    ['Trilu'],
    ['int8', 'uint8', 'int16', 'uint16', 'uint32', 'uint64'],
    'float, double, float16, bool, int32 and int64',
  ],
];

const why = (op: string, runs: string) =>
  `onnxruntime's CPU ${op} has no kernel for this dtype (it runs ${runs})`;

/** Ops onnxruntime 1.30's CPU (and WebAssembly) kernels run except for the listed dtypes or opsets. */
export const ORT_CPU_KERNEL_GAPS: readonly OrtKernelGap[] = [
  ...DTYPE_GAPS.flatMap(([ops, dtypes, runs]) =>
    ops.map((opType): OrtKernelGap => ({ opType, dtypes, reason: why(opType, runs) })),
  ),
  {
    opType: 'RoiAlign',
    minOpset: 22,
    reason:
      'onnxruntime 1.30 registers RoiAlign only up to opset 21 (a graph stamped 22 or newer finds no kernel)',
  },
  {
    opType: 'Where',
    dtypes: ['int8', 'int16', 'uint16', 'uint32', 'uint64', 'bool'],
    match: 'outputs',
    reason: why('Where', 'float, double, float16, uint8, int32 and int64 data'),
  },
];
