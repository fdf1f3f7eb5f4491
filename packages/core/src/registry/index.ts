/**
 * The plugin registry: `definePlugin`, `registry.use`, model metadata listing without loading
 * code, and `createModel`.
 * @module
 */
import { getBackend, listBackends, resolveBackend } from '../backend/resolve.js';
import { createModel } from './create.js';
import { definePlugin } from './plugin.js';
import { getHead, getModelInfo, listHeads, listModels, listPlugins, remove, use } from './registry.js';

export {
  adaptInputConv,
  type CreateModelOptions,
  createModel,
  openWeights,
  type WeightsSource,
} from './create.js';
export { Model, type ModelConfig, type TraceModelOptions } from './model.js';
export { definePlugin, withMacs } from './plugin.js';
export {
  getHead,
  getModelInfo,
  listHeads,
  listModels,
  listPlugins,
  type ModelFilter,
  type ParsedModelName,
  parseModelName,
} from './registry.js';
export { compareVersions, parseRange, parseVersion, type SemVer, satisfies } from './semver.js';
export type {
  FeatureInfo,
  HeadEntry,
  ModelBuilder,
  ModelBuildOptions,
  ModelEntry,
  ModelFactory,
  ModelFactoryObject,
  ModelInfo,
  ModelVariant,
  Plugin,
  PluginSpec,
  PreprocessHints,
} from './types.js';
export { CORE_VERSION } from './version.js';

/**
 * The process-wide registry (shared across duplicated copies of `@ocular/core`):
 * `registry.use(plugin)` registers a plugin's models, heads and backends; `listModels`,
 * `getModelInfo` read metadata without loading model code; `createModel` builds a model.
 */
export const registry = Object.freeze({
  use,
  remove,
  definePlugin,
  listPlugins,
  listModels,
  getModelInfo,
  createModel,
  listHeads,
  getHead,
  listBackends,
  getBackend,
  resolveBackend,
});

/** `registry.use` as a named function. */
export const usePlugin = use;
/** `registry.remove` as a named function. */
export const removePlugin = remove;
