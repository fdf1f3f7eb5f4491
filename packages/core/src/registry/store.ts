/**
 * The process-wide registry store. It lives on `globalThis` under a `Symbol.for` key so that a
 * bundler that duplicates `@ocular/core` still shares one registry.
 * @module
 */
import type { Backend } from '../backend/contract.js';

/** @internal The shape of the shared store. Other registry modules add their own maps. */
export interface RegistryStore {
  readonly backends: Map<string, Backend>;
  readonly maps: Map<string, Map<string, unknown>>;
}

const KEY = Symbol.for('ocular.registry.v1');

/** @internal The shared store, created on first use. */
export function registryStore(): RegistryStore {
  const g = globalThis as Record<symbol, RegistryStore | undefined>;
  let store = g[KEY];
  if (!store) {
    store = { backends: new Map(), maps: new Map() };
    g[KEY] = store;
  }
  return store;
}

/** @internal A named map inside the store (models, heads, ...). */
export function registryMap<T>(name: string): Map<string, T> {
  const s = registryStore();
  let m = s.maps.get(name);
  if (!m) {
    m = new Map();
    s.maps.set(name, m);
  }
  return m as Map<string, T>;
}
