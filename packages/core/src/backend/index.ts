export type {
  Backend,
  BackendOptions,
  CompileOptions,
  RunOptions,
  Session,
  SupportResult,
  UnsupportedOp,
} from './contract.js';
export {
  assertOrtDType,
  assertOrtGraphIO,
  finishOrtCompile,
  fromOrtTensor,
  ORT_DTYPES,
  type OrtGraphLimits,
  type OrtKernelGap,
  type OrtSessionLike,
  type OrtTensorConstructor,
  type OrtTensorLike,
  ortGraphIssue,
  ortLogLevel,
  ortLogSeverity,
  ortModelBytes,
  toOrtTensor,
  wrapOrtSession,
} from './ort-common.js';
export { ORT_CPU_KERNEL_GAPS, ORT_MAX_OPSET } from './ort-kernel-gaps.js';
export { type OrtRewrite, type PreparedOrtGraph, prepareGraphForOrt } from './ort-lowering.js';
export {
  type BackendAttempt,
  getBackend,
  listBackends,
  type ResolvedBackend,
  registerBackend,
  resolveBackend,
  unregisterBackend,
} from './resolve.js';
