/**
 * Task presets: a ready-to-run model for a task — its network (an imported graph or a task
 * module with weights), pre-processing, labels and decoder — registered by name so that
 * `pipeline('detection')` works with no arguments. The store lives on `globalThis` (like the
 * model registry) so duplicated bundles share it.
 * @module
 */
import type { Decoder, Graph, TaskModule, TaskName } from '@ocular/core';
import { InvalidArgumentError, RegistryError } from '@ocular/core';
import type { TileConfig } from './create.js';
import type { PipelineDecoderConfig } from './decoder-config.js';
import type { PreprocessConfig } from './preprocess.js';

/** What a preset's `load()` resolves to: a graph to compile, or a task module (with its weights loaded). */
export type PresetNetwork =
  | { readonly graph: Graph; readonly module?: undefined }
  | { readonly module: TaskModule; readonly graph?: undefined };

/** A registered, ready-to-run model for one task. */
export interface TaskPreset {
  /** `scope/name`, e.g. `ocular/nanodet`; letters, digits, `_`, `-`, `.` and one `/`. */
  readonly name: string;
  readonly task: TaskName;
  /** One line for listings. */
  readonly description: string;
  /** Licence of the weights. */
  readonly license: string;
  /** Where the model comes from (package, version, file, sha256). */
  readonly source: string;
  /** Higher wins as the task's default (`pipeline(task)` without a model). */
  readonly priority?: number;
  /** How images are prepared, as the model was trained. */
  readonly preprocess: PreprocessConfig;
  readonly labels?: readonly string[];
  /** How the raw outputs are read (ignored when `load` returns a task module, which decodes itself). */
  readonly decoder?: Decoder | PipelineDecoderConfig;
  /** Super-resolution: how large images are tiled (overlap covering the network's receptive field). */
  readonly tile?: TileConfig;
  /** Loads the network (imported once per call; pipelines cache their sessions). */
  load(): Promise<PresetNetwork>;
}

const KEY = Symbol.for('ocular.tasks.presets.v1');

function store(): Map<string, TaskPreset> {
  const g = globalThis as Record<symbol, Map<string, TaskPreset> | undefined>;
  let m = g[KEY];
  if (!m) {
    m = new Map();
    g[KEY] = m;
  }
  return m;
}

const NAME = /^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Registers presets. A different preset under a taken name is a `RegistryError`; the same object again is a no-op. */
export function registerTaskPresets(presets: readonly TaskPreset[]): void {
  const m = store();
  for (const p of presets) {
    if (!NAME.test(p.name))
      throw new InvalidArgumentError(`task preset name '${p.name}' must look like scope/name`);
    const old = m.get(p.name);
    if (old && old !== p)
      throw new RegistryError(`a different task preset is already registered as '${p.name}'`);
    m.set(p.name, p);
  }
}

/** Removes presets (by object); returns how many were registered. */
export function unregisterTaskPresets(presets: readonly TaskPreset[]): number {
  const m = store();
  let n = 0;
  for (const p of presets) if (m.get(p.name) === p && m.delete(p.name)) n++;
  return n;
}

/** Registered presets, optionally of one task, sorted by name. */
export function listTaskPresets(task?: TaskName): TaskPreset[] {
  return [...store().values()]
    .filter((p) => !task || p.task === task)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The preset named `name` (`scope/name` or a bare name when unambiguous), or undefined. */
export function findTaskPreset(name: string): TaskPreset | undefined {
  const m = store();
  if (m.has(name)) return m.get(name);
  if (name.includes('/')) return undefined;
  const matches = [...m.values()].filter((p) => p.name.endsWith(`/${name}`));
  if (matches.length > 1)
    throw new RegistryError(`task preset '${name}' is ambiguous: ${matches.map((p) => p.name).join(', ')}`);
  return matches[0];
}

/** The default preset of `task`: the highest priority, then the first by name. Throws when none is registered. */
export function defaultTaskPreset(task: TaskName): TaskPreset {
  const all = listTaskPresets(task);
  if (!all.length)
    throw new RegistryError(
      `no default model for ${task}: register one (e.g. registry.use / registerTaskPresets from @ocular/models) or pass \`model\``,
    );
  return all.reduce((best, p) => ((p.priority ?? 0) > (best.priority ?? 0) ? p : best));
}
