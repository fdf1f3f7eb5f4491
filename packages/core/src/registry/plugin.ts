/**
 * `definePlugin`: a pure function that validates a plugin description and freezes it. Defining
 * a plugin registers nothing; `registry.use(plugin)` does.
 * @module
 */
import type { Backend } from '../backend/contract.js';
import { InvalidArgumentError } from '../errors.js';
import { parseRange } from './semver.js';
import type { FeatureInfo, HeadEntry, ModelEntry, ModelVariant, Plugin, PluginSpec } from './types.js';

const SCOPE = /^[a-z0-9][a-z0-9._-]*$/;
const defined = new WeakSet<Plugin>();

/** @internal True for objects returned by {@link definePlugin} (already validated). */
export function isDefinedPlugin(p: unknown): p is Plugin {
  return typeof p === 'object' && p !== null && defined.has(p as Plugin);
}
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function fail(where: string, message: string): never {
  throw new InvalidArgumentError(`definePlugin: ${where}: ${message}`);
}

function isPosInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

function freezeArray<T>(a: readonly T[] | undefined): readonly T[] {
  return Object.freeze([...(a ?? [])]);
}

function checkNumbers(where: string, what: string, v: unknown, length: number): readonly number[] {
  if (
    !Array.isArray(v) ||
    v.length !== length ||
    !v.every((x) => typeof x === 'number' && Number.isFinite(x))
  ) {
    fail(where, `${what} must be ${length} finite numbers (one per input channel), got ${JSON.stringify(v)}`);
  }
  return Object.freeze([...v]);
}

function checkInputSize(where: string, v: unknown): readonly [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3 || !v.every(isPosInt)) {
    fail(
      where,
      `defaultInputSize must be [channels, height, width] of positive integers, got ${JSON.stringify(v)}`,
    );
  }
  return Object.freeze([v[0], v[1], v[2]]) as readonly [number, number, number];
}

function checkVariant(where: string, v: unknown, channels: number): string | ModelVariant {
  if (typeof v === 'string') {
    if (!NAME.test(v)) fail(where, `variant tag '${v}' may only use letters, digits, '_' and '-'`);
    return v;
  }
  const o = v as ModelVariant;
  if (!o || typeof o !== 'object' || typeof o.tag !== 'string' || !NAME.test(o.tag)) {
    fail(where, `variants must be tags or { tag, ... } objects, got ${JSON.stringify(v)}`);
  }
  const w = `${where} variant '${o.tag}'`;
  if (o.numClasses !== undefined && !(Number.isInteger(o.numClasses) && o.numClasses >= 0)) {
    fail(w, 'numClasses must be an integer ≥ 0');
  }
  const size = o.defaultInputSize === undefined ? undefined : checkInputSize(w, o.defaultInputSize);
  const c = size?.[0] ?? channels;
  return Object.freeze({
    ...o,
    defaultInputSize: size,
    mean: o.mean === undefined ? undefined : checkNumbers(w, 'mean', o.mean, c),
    std: o.std === undefined ? undefined : checkNumbers(w, 'std', o.std, c),
  });
}

function checkFeatureInfo(where: string, v: unknown): readonly FeatureInfo[] {
  if (v === undefined) return Object.freeze([]);
  if (!Array.isArray(v)) fail(where, 'featureInfo must be an array');
  return Object.freeze(
    v.map((f: FeatureInfo, i) => {
      if (!f || !isPosInt(f.numChs) || !isPosInt(f.reduction) || typeof f.module !== 'string') {
        fail(where, `featureInfo[${i}] must be { numChs, reduction, module }, got ${JSON.stringify(f)}`);
      }
      return Object.freeze({ numChs: f.numChs, reduction: f.reduction, module: f.module });
    }),
  );
}

function checkModel(scope: string, m: ModelEntry, i: number): ModelEntry {
  if (!m || typeof m !== 'object') fail(`${scope} models[${i}]`, 'must be an object');
  if (typeof m.name !== 'string' || !NAME.test(m.name)) {
    fail(`${scope} models[${i}]`, `name '${String(m.name)}' may only use letters, digits, '_' and '-'`);
  }
  const where = `model '${scope}/${m.name}'`;
  if (typeof m.family !== 'string' || !m.family) fail(where, 'family must be a non-empty string');
  if (typeof m.load !== 'function')
    fail(where, 'load must be a function returning a promise of the model factory');
  const size = checkInputSize(where, m.defaultInputSize);
  if (!(Number.isInteger(m.numClasses) && m.numClasses >= 0))
    fail(where, 'numClasses must be an integer ≥ 0');
  if (m.paramCount !== undefined && !(Number.isInteger(m.paramCount) && m.paramCount >= 0)) {
    fail(where, 'paramCount must be an integer ≥ 0');
  }
  if (m.macs !== undefined && !(Number.isInteger(m.macs) && m.macs >= 0)) {
    fail(where, 'macs must be an integer ≥ 0');
  }
  for (const k of ['license', 'paper', 'firstConv'] as const) {
    if (m[k] !== undefined && typeof m[k] !== 'string') fail(where, `${k} must be a string`);
  }
  const classifier =
    m.classifier === undefined ? [] : typeof m.classifier === 'string' ? [m.classifier] : m.classifier;
  if (!Array.isArray(classifier) || !classifier.every((c) => typeof c === 'string')) {
    fail(where, 'classifier must be a state-dict prefix or a list of them');
  }
  const tags = m.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) fail(where, 'tags must be strings');
  const variants = (m.variants ?? []).map((v) => checkVariant(where, v, size[0]));
  const seen = new Set<string>();
  for (const v of variants) {
    const tag = typeof v === 'string' ? v : v.tag;
    if (seen.has(tag)) fail(where, `variant tag '${tag}' is listed twice`);
    seen.add(tag);
  }
  return Object.freeze({
    ...m,
    defaultInputSize: size,
    mean: checkNumbers(where, 'mean', m.mean, size[0]),
    std: checkNumbers(where, 'std', m.std, size[0]),
    variants: Object.freeze(variants),
    tags: freezeArray(tags),
    classifier: freezeArray(classifier),
    featureInfo: checkFeatureInfo(where, m.featureInfo),
  });
}

function checkHead(scope: string, h: HeadEntry, i: number): HeadEntry {
  if (!h || typeof h !== 'object' || typeof h.name !== 'string' || !NAME.test(h.name)) {
    fail(`${scope} heads[${i}]`, `name may only use letters, digits, '_' and '-'`);
  }
  if (typeof h.task !== 'string' || !h.task)
    fail(`head '${scope}/${h.name}'`, 'task must be a non-empty string');
  if (typeof h.load !== 'function') fail(`head '${scope}/${h.name}'`, 'load must be a function');
  return Object.freeze({ ...h });
}

function checkBackend(scope: string, b: Backend, i: number): Backend {
  const ok =
    b &&
    typeof b === 'object' &&
    typeof b.name === 'string' &&
    b.name &&
    typeof b.priority === 'number' &&
    typeof b.isSupported === 'function' &&
    typeof b.init === 'function' &&
    typeof b.compile === 'function' &&
    typeof b.unsupportedOps === 'function';
  if (!ok)
    fail(
      `${scope} backends[${i}]`,
      'must implement the Backend contract (name, priority, isSupported, init, compile, unsupportedOps)',
    );
  return b;
}

/**
 * Validates and freezes a plugin description. Pure: it registers nothing, reads nothing and can
 * run at import time of a plugin package without side effects.
 */
export function definePlugin(spec: PluginSpec): Plugin {
  if (!spec || typeof spec !== 'object') throw new InvalidArgumentError('definePlugin: expected an object');
  if (typeof spec.scope !== 'string' || !SCOPE.test(spec.scope)) {
    fail('scope', `'${String(spec.scope)}' must be lower-case letters, digits, '.', '_' or '-'`);
  }
  const scope = spec.scope;
  if (spec.name !== undefined && typeof spec.name !== 'string') fail(scope, 'name must be a string');
  if (spec.version !== undefined && typeof spec.version !== 'string') fail(scope, 'version must be a string');
  try {
    parseRange(spec.coreRange);
  } catch (e) {
    fail(scope, `coreRange: ${(e as Error).message}`);
  }
  const models = (spec.models ?? []).map((m, i) => checkModel(scope, m, i));
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) fail(scope, `model '${m.name}' is listed twice`);
    names.add(m.name);
  }
  const plugin: Plugin = Object.freeze({
    ...spec,
    models: Object.freeze(models),
    heads: Object.freeze((spec.heads ?? []).map((h, i) => checkHead(scope, h, i))),
    backends: Object.freeze((spec.backends ?? []).map((b, i) => checkBackend(scope, b, i))),
  });
  defined.add(plugin);
  return plugin;
}

/**
 * Adds measured MACs to model entries from a table keyed by architecture name (a family keeps
 * the numbers as data, checked against traced graphs by its tests). Entries without a row keep
 * whatever they had.
 */
export function withMacs(
  entries: readonly ModelEntry[],
  macs: Readonly<Record<string, number>>,
): ModelEntry[] {
  return entries.map((e) => (macs[e.name] === undefined ? e : { ...e, macs: macs[e.name] }));
}
