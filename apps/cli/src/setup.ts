/**
 * What the CLI registers at start-up: the reference backend, the node and wasm backend plugins,
 * the model families, the task networks and heads, the embedded default models (task presets)
 * and the demo model plugin.
 * @module
 */
import { nodeBackend, plugin as nodePlugin } from '@ocular/backend-node';
import { referenceBackend } from '@ocular/backend-reference';
import { wasmBackend, plugin as wasmPlugin } from '@ocular/backend-wasm';
import { plugin as cnnPlugin } from '@ocular/cnn';
import { type Backend, getBackend, registerBackend, registry } from '@ocular/core';
import { registerDefaultModels } from '@ocular/models';
import { plugin as tasksPlugin } from '@ocular/tasks';
import { plugin as vitPlugin } from '@ocular/vit';
import { demoPlugin } from './demo-model.js';

/** The backends the CLI ships with, highest priority first. */
export const BUILTIN_BACKENDS: readonly Backend[] = [nodeBackend, wasmBackend, referenceBackend];

/**
 * Registers the built-in backends and the demo model (idempotent). Another object already
 * registered under one of the names is a `RegistryError`.
 */
export function registerBuiltins(): void {
  if (getBackend(referenceBackend.name) !== referenceBackend) registerBackend(referenceBackend);
  registry.use(nodePlugin);
  registry.use(wasmPlugin);
  registry.use(cnnPlugin);
  registry.use(vitPlugin);
  registry.use(tasksPlugin);
  registerDefaultModels();
  registry.use(demoPlugin);
}
