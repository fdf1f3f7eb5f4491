/**
 * `@ocular/core/testing`: the conformance kit for backend and plugin authors. Op parity runs
 * one-node graphs on a backend against the reference backend with per-backend tolerances; the
 * ONNX node-test runner runs the official ONNX backend node tests on any backend.
 * @module
 */
export { compareTensors, type TensorComparison, type Tolerance } from './compare.js';
export {
  MODEL_PARITY_TOLERANCE,
  type ModelParityBackendResult,
  type ModelParityOptions,
  type ModelParityResult,
  runModelParity,
} from './model-parity.js';
export {
  compareNodeTestOutput,
  loadOnnxNodeTests,
  type NodeTestComparison,
  ONNX_NODE_TEST_TOLERANCE,
  type OnnxNodeTest,
  type OnnxNodeTestEntry,
  type OnnxNodeTestFilter,
  type OnnxNodeTestOptions,
  type OnnxNodeTestReport,
  type OnnxNodeTestResult,
  type OnnxNodeTestRunner,
  type OnnxNodeTestValue,
  runOnnxNodeTests,
  summarizeOnnxNodeTests,
} from './onnx-node-tests.js';
export {
  LAYOUT_OP_CASES,
  MATH_OP_CASES,
  OP_CASES,
  type OpCase,
  type OpCaseInput,
  SPATIAL_OP_CASES,
} from './op-cases/index.js';
export {
  type BuiltOpCase,
  buildOpCase,
  type CaseStatus,
  caseInputData,
  DEFAULT_TOLERANCES,
  type DocumentedSkips,
  defaultTolerance,
  FALLBACK_TOLERANCE,
  HALF_PRECISION_TOLERANCES,
  type OpCaseResult,
  type OpParityOptions,
  type OutputParity,
  opParityProblems,
  type ParityReport,
  runOpParity,
} from './parity.js';
export { hashString, mulberry32, type Random, uniform, uniformInt } from './random.js';
