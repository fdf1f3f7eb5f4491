/**
 * `@ocular/backend-reference`: a pure TypeScript interpreter of every Ocular IR op. Exact, slow
 * and dependency-free; the living spec of each op and the oracle other backends are tested against.
 * @packageDocumentation
 */
export { referenceBackend } from './backend.js';
export { type InterpretOptions, interpret } from './interpreter.js';
export { KERNELS } from './kernels/index.js';
export type { Kernel, KernelContext } from './kernels/types.js';
