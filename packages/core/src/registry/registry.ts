/**
 * Registering plugins and looking models up. All state lives in the process-wide store on
 * `globalThis` (see store.ts), so duplicated copies of `@ocular/core` share one registry.
 * @module
 */
import { getBackend, registerBackend, unregisterBackend } from '../backend/resolve.js';
import { RegistryError } from '../errors.js';
import { definePlugin, isDefinedPlugin } from './plugin.js';
import { satisfies } from './semver.js';
import { registryMap } from './store.js';
import type { HeadEntry, ModelEntry, ModelInfo, ModelVariant, Plugin } from './types.js';
import { CORE_VERSION } from './version.js';

/** @internal A registered model. */
export interface RegisteredModel {
  readonly scope: string;
  readonly entry: ModelEntry;
  readonly plugin: Plugin;
}

/** @internal A registered head. */
export interface RegisteredHead {
  readonly scope: string;
  readonly entry: HeadEntry;
  readonly plugin: Plugin;
}

const plugins = () => registryMap<Plugin>('plugins');
const models = () => registryMap<RegisteredModel>('models');
const heads = () => registryMap<RegisteredHead>('heads');

function pluginKey(p: Plugin): string {
  return `${p.scope}:${p.name ?? ''}`;
}

function label(p: Plugin): string {
  return p.name ? `${p.name} (scope '${p.scope}')` : `scope '${p.scope}'`;
}

/**
 * Registers a plugin's models, heads and backends. Checks `coreRange` against this core's
 * version, and that no name is taken, before registering anything. Using the same plugin object
 * again is a no-op; a different plugin with clashing names throws {@link RegistryError}.
 */
export function use(plugin: Plugin): void {
  if (plugins().get(pluginKey(plugin)) === plugin) return;
  // Validate objects that did not come from definePlugin (hand-written, or from a duplicate core).
  const p = isDefinedPlugin(plugin) ? plugin : definePlugin(plugin);
  if (!satisfies(CORE_VERSION, p.coreRange)) {
    throw new RegistryError(
      `plugin ${label(p)} needs @ocular/core ${p.coreRange}, but this is ${CORE_VERSION}`,
      { coreRange: p.coreRange, coreVersion: CORE_VERSION },
    );
  }
  const problems: string[] = [];
  const other = plugins().get(pluginKey(p));
  if (other) problems.push(`a different plugin named ${label(p)} is already in use`);
  for (const m of p.models) {
    const key = `${p.scope}/${m.name}`;
    const taken = models().get(key);
    if (taken) problems.push(`model '${key}' is already registered by ${label(taken.plugin)}`);
  }
  for (const h of p.heads) {
    const key = `${p.scope}/${h.name}`;
    const taken = heads().get(key);
    if (taken) problems.push(`head '${key}' is already registered by ${label(taken.plugin)}`);
  }
  for (const b of p.backends) {
    const taken = getBackend(b.name);
    if (taken && taken !== b) problems.push(`a different backend named '${b.name}' is already registered`);
  }
  if (problems.length) {
    throw new RegistryError(`cannot use plugin ${label(p)}: ${problems.join('; ')}`, { problems });
  }
  for (const m of p.models) models().set(`${p.scope}/${m.name}`, { scope: p.scope, entry: m, plugin });
  for (const h of p.heads) heads().set(`${p.scope}/${h.name}`, { scope: p.scope, entry: h, plugin });
  for (const b of p.backends) registerBackend(b);
  plugins().set(pluginKey(p), plugin);
}

/** Unregisters everything `plugin` registered (for tests and hot reloading). Returns false when it was not in use. */
export function remove(plugin: Plugin): boolean {
  if (plugins().get(pluginKey(plugin)) !== plugin) return false;
  plugins().delete(pluginKey(plugin));
  for (const [k, m] of models()) if (m.plugin === plugin) models().delete(k);
  for (const [k, h] of heads()) if (h.plugin === plugin) heads().delete(k);
  for (const b of plugin.backends ?? []) if (getBackend(b.name) === b) unregisterBackend(b.name);
  return true;
}

/** Plugins in use. */
export function listPlugins(): Plugin[] {
  return [...plugins().values()];
}

// ---- names ------------------------------------------------------------------------------------

/** A parsed model name. */
export interface ParsedModelName {
  readonly scope?: string;
  readonly arch: string;
  readonly tag?: string;
}

/** Splits `[scope/]arch[.tag]`. */
export function parseModelName(name: string): ParsedModelName {
  if (typeof name !== 'string' || !name) throw new RegistryError(`model name must be a non-empty string`);
  const slash = name.indexOf('/');
  const scope = slash >= 0 ? name.slice(0, slash) : undefined;
  const rest = slash >= 0 ? name.slice(slash + 1) : name;
  const dot = rest.indexOf('.');
  const arch = dot >= 0 ? rest.slice(0, dot) : rest;
  const tag = dot >= 0 ? rest.slice(dot + 1) : undefined;
  if (!arch || tag === '' || (scope !== undefined && !scope))
    throw new RegistryError(`malformed model name '${name}'`);
  return { scope, arch, tag };
}

function variantTag(v: string | ModelVariant): string {
  return typeof v === 'string' ? v : v.tag;
}

/** @internal Finds the registered model for `name` (bare names must be unambiguous). */
export function resolveModel(name: string): { model: RegisteredModel; tag?: string; variant?: ModelVariant } {
  const { scope, arch, tag } = parseModelName(name);
  let found: RegisteredModel | undefined;
  if (scope !== undefined) {
    found = models().get(`${scope}/${arch}`);
  } else {
    const hits = [...models().values()].filter((m) => m.entry.name === arch);
    if (hits.length > 1) {
      throw new RegistryError(
        `model name '${arch}' is ambiguous; use one of ${hits.map((h) => `'${h.scope}/${arch}'`).join(', ')}`,
        { candidates: hits.map((h) => `${h.scope}/${arch}`) },
      );
    }
    found = hits[0];
  }
  if (!found) {
    const near = [...models().keys()].filter((k) => k.includes(arch.slice(0, Math.max(3, arch.length - 2))));
    throw new RegistryError(
      `unknown model '${name}'${near.length ? ` (did you mean ${near.slice(0, 5).join(', ')}?)` : ''}; registered models come from plugins passed to registry.use()`,
      { name },
    );
  }
  const variants = found.entry.variants ?? [];
  if (tag === undefined) {
    const first = variants[0];
    return {
      model: found,
      tag: first && variantTag(first),
      variant: typeof first === 'object' ? first : undefined,
    };
  }
  const v = variants.find((x) => variantTag(x) === tag);
  if (!v) {
    throw new RegistryError(
      `model '${found.scope}/${arch}' has no weights tagged '${tag}' (known: ${variants.map(variantTag).join(', ') || 'none'})`,
      { name, tag },
    );
  }
  return { model: found, tag, variant: typeof v === 'object' ? v : undefined };
}

function infoOf(m: RegisteredModel, tag?: string, variant?: ModelVariant): ModelInfo {
  const e = m.entry;
  return Object.freeze({
    name: `${m.scope}/${e.name}`,
    scope: m.scope,
    arch: e.name,
    tag,
    family: e.family,
    variants: Object.freeze((e.variants ?? []).map(variantTag)),
    paramCount: e.paramCount,
    macs: variant?.defaultInputSize ? undefined : e.macs,
    defaultInputSize: variant?.defaultInputSize ?? e.defaultInputSize,
    mean: variant?.mean ?? e.mean,
    std: variant?.std ?? e.std,
    numClasses: variant?.numClasses ?? e.numClasses,
    license: variant?.license ?? e.license,
    paper: e.paper,
    tags: e.tags ?? [],
    task: e.task,
    labels: e.labels,
    preprocess: e.preprocess,
    featureInfo: e.featureInfo ?? [],
    classifier: (e.classifier ?? []) as readonly string[],
    firstConv: e.firstConv,
    plugin: Object.freeze({ scope: m.plugin.scope, name: m.plugin.name, version: m.plugin.version }),
  });
}

/**
 * Metadata of a model (`scope/arch[.tag]` or a bare `arch[.tag]`), without loading its code.
 * Throws {@link RegistryError} for unknown or ambiguous names.
 */
export function getModelInfo(name: string): ModelInfo {
  const { model, tag, variant } = resolveModel(name);
  return infoOf(model, tag, variant);
}

/** Filter of {@link listModels}. */
export interface ModelFilter {
  /** Glob (`*`, `?`) over `scope/arch`, bare `arch`, and with a `.` also `arch.tag`. */
  readonly name?: string;
  readonly family?: string;
  readonly scope?: string;
  /** Only models that carry this tag. */
  readonly tag?: string;
  /** Only models with known weights; names are then listed per weight tag (`scope/arch.tag`). */
  readonly pretrained?: boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Registered model names, sorted. `filter` is a glob (`'resnet*'`, `'ocular/vit_*'`,
 * `'*.in1k'`) or a {@link ModelFilter}. Names are `scope/arch`; with `pretrained: true` or a glob
 * containing a `.`, one name per weight tag (`scope/arch.tag`), as timm's `list_models` does.
 */
export function listModels(filter?: string | ModelFilter): string[] {
  const f: ModelFilter = typeof filter === 'string' ? { name: filter } : (filter ?? {});
  const re = f.name ? globToRegExp(f.name) : undefined;
  const withTags = f.pretrained === true || (f.name?.includes('.') ?? false);
  const out: string[] = [];
  for (const m of models().values()) {
    const e = m.entry;
    if (f.family !== undefined && e.family !== f.family) continue;
    if (f.scope !== undefined && m.scope !== f.scope) continue;
    if (f.tag !== undefined && !(e.tags ?? []).includes(f.tag)) continue;
    const tags = (e.variants ?? []).map(variantTag);
    if (f.pretrained === true && !tags.length) continue;
    if (f.pretrained === false && tags.length) continue;
    const names: [string, string][] = withTags
      ? tags.map((t) => [`${m.scope}/${e.name}.${t}`, `${e.name}.${t}`])
      : [[`${m.scope}/${e.name}`, e.name]];
    for (const [full, bare] of names) if (!re || re.test(full) || re.test(bare)) out.push(full);
  }
  return out.sort();
}

/** Registered heads as `scope/name`, optionally for one task. */
export function listHeads(task?: string): string[] {
  return [...heads()]
    .filter(([, h]) => task === undefined || h.entry.task === task)
    .map(([k]) => k)
    .sort();
}

/** A registered head entry (`scope/name` or an unambiguous bare name). */
export function getHead(name: string): HeadEntry {
  const hits = name.includes('/')
    ? [heads().get(name)].filter((h): h is RegisteredHead => !!h)
    : [...heads().values()].filter((h) => h.entry.name === name);
  if (hits.length !== 1) {
    throw new RegistryError(hits.length ? `head name '${name}' is ambiguous` : `unknown head '${name}'`, {
      name,
    });
  }
  return hits[0]!.entry;
}
