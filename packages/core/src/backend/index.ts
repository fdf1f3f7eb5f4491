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
  getBackend,
  listBackends,
  type ResolvedBackend,
  registerBackend,
  resolveBackend,
  unregisterBackend,
} from './resolve.js';
