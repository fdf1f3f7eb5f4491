/**
 * IR ops onnxruntime-web's WebAssembly execution provider cannot run, each with the reason. The
 * op parity suite (test/parity.test.ts) skips exactly these and fails on any other op that does
 * not match the reference backend, so this list stays honest.
 * @module
 */
import type { UnsupportedOp } from '@ocular/core';

/** Ops the wasm backend does not support. */
export const WASM_UNSUPPORTED_OPS: readonly UnsupportedOp[] = [];
