/**
 * The plugin object: `registry.use(plugin)` registers the wasm backend. Importing this package
 * registers nothing by itself.
 * @module
 */
import { definePlugin, type Plugin } from '@ocular/core';
import pkg from '../package.json' with { type: 'json' };
import { wasmBackend } from './backend.js';

/** `@ocular/backend-wasm` as a plugin (scope `ocular`), for `registry.use(plugin)`. */
export const plugin: Plugin = definePlugin({
  scope: 'ocular',
  name: pkg.name,
  version: pkg.version,
  coreRange: '^0.1.0',
  backends: [wasmBackend],
});
