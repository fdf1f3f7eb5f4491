/**
 * The profiler: parameters, MACs per node and per module (counted as the timm reference data
 * counts them), and activation memory estimates of a graph.
 * @module
 */
export { dimSymbols, evaluateDim } from './dims.js';
export { type FormatProfileOptions, formatProfile, humanBytes, humanCount } from './format.js';
export { macsKind, type NodeShapes, nodeMacs } from './macs.js';
export {
  type ModuleProfile,
  type NodeProfile,
  type Profile,
  type ProfileOptions,
  profileGraph,
} from './profile.js';
