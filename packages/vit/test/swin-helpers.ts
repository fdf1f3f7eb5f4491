/**
 * Test helpers of the Swin, PVTv2 and Twins tests: plugin registration, a deterministic input,
 * max-abs-diff comparison, and the golden runner over the reference, node and wasm backends.
 */
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import {
  type Backend,
  type ClassifierModel,
  type Graph,
  Module,
  registry,
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import { beforeAll, expect } from 'vitest';
import { plugin } from '../src/index.js';

/** Registers the plugin once per test file. */
export function usePlugin(): void {
  beforeAll(() => {
    if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  });
}

/** A deterministic input in [-2, 2). */
export function input(dims: number[]): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 4001) / 1000 - 2;
  return new Tensor('float32', data, dims);
}

/** Largest |a − b| over two tensors of equal shape. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.dims).toEqual(b.dims);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Largest |a − b| − rtol·|b| (≤ atol means allclose). */
export function excess(a: Tensor, b: Tensor, rtol: number): number {
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) - rtol * Math.abs(y[i]!));
  return m;
}

/** logits, forward_features and pre_logits at once. */
export class ClassifierOutputs extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  constructor(readonly model: ClassifierModel) {
    super();
    for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
  }
  forward(x: SymbolicTensor) {
    const features = this.model.forwardFeatures(x);
    return {
      logits: this.model.forwardHead(features),
      forward_features: features,
      pre_logits: this.model.forwardHead(features, true),
    };
  }
}

/** Runs a graph on one backend. */
export type Runner = (graph: Graph, feeds: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

const sessions: { dispose(): Promise<void> | void }[] = [];
const viaBackend =
  (backend: Backend): Runner =>
  async (graph, feeds) => {
    const session = await backend.compile(graph);
    sessions.push(session);
    return session.run(feeds);
  };

/** The reference interpreter, onnxruntime-node and onnxruntime-web (wasm). */
export const RUNNERS: [string, Runner][] = [
  ['reference', async (graph, feeds) => interpret(graph, feeds)],
  ['node', viaBackend(nodeBackend)],
  ['wasm', viaBackend(wasmBackend)],
];

/** Initialises the ONNX Runtime backends before, and disposes their sessions after, a file. */
export async function initBackends(): Promise<void> {
  await nodeBackend.init();
  await wasmBackend.init();
}

/** Disposes every session the runners opened. */
export async function disposeSessions(): Promise<void> {
  for (const s of sessions.splice(0)) await s.dispose();
}
