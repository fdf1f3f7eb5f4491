/**
 * What onnxruntime-node 1.30's CPU execution provider cannot run, each with the reason:
 * - {@link NODE_UNSUPPORTED_OPS}: IR ops it lacks entirely (none at present);
 * - {@link NODE_KERNEL_GAPS}: ops it runs, but not for some dtypes or opset versions.
 * The gaps are onnxruntime's CPU kernel gaps, listed once in `@ocular/core`
 * ({@link ORT_CPU_KERNEL_GAPS}). The op parity suite (test/parity.test.ts) skips exactly what
 * these lists name and fails on anything else that does not match the reference backend, so
 * they stay honest.
 * @module
 */
import { ORT_CPU_KERNEL_GAPS, ORT_MAX_OPSET, type OrtKernelGap, type UnsupportedOp } from '@ocular/core';

/** The newest default-domain opset onnxruntime 1.30 accepts (it refuses models stamped newer). */
export const NODE_MAX_OPSET = ORT_MAX_OPSET;

/** IR ops the node backend does not support at all. */
export const NODE_UNSUPPORTED_OPS: readonly UnsupportedOp[] = [];

/** Ops the node backend runs except for the listed dtypes or opsets. */
export const NODE_KERNEL_GAPS: readonly OrtKernelGap[] = ORT_CPU_KERNEL_GAPS;
