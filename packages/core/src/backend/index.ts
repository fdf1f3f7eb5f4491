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
  type BackendAttempt,
  type ResolvedBackend,
  getBackend,
  listBackends,
  registerBackend,
  resolveBackend,
  unregisterBackend,
} from './resolve.js';
