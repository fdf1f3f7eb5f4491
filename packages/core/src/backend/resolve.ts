/**
 * Backend registration and resolution. Resolution walks a preference list in order and records
 * why each backend that could not be used was skipped: fallback is visible, never silent.
 * @module
 */
import { BackendUnavailableError, RegistryError } from '../errors.js';
import { registryStore } from '../registry/store.js';
import type { Backend, BackendOptions } from './contract.js';

/** One step of backend resolution. */
export interface BackendAttempt {
  readonly name: string;
  readonly ok: boolean;
  /** Why the backend was skipped (absent when `ok`). */
  readonly reason?: string;
}

/** The chosen backend and the record of how it was chosen. */
export interface ResolvedBackend {
  readonly backend: Backend;
  readonly attempts: readonly BackendAttempt[];
  /** True when the chosen backend was not the first preference. */
  readonly fellBack: boolean;
}

/** Registers a backend. Throws {@link RegistryError} when the name is taken by another object. */
export function registerBackend(backend: Backend): void {
  const { backends } = registryStore();
  const existing = backends.get(backend.name);
  if (existing && existing !== backend) {
    throw new RegistryError(`a different backend named '${backend.name}' is already registered`);
  }
  backends.set(backend.name, backend);
}

/** Removes a backend (mostly for tests). */
export function unregisterBackend(name: string): boolean {
  return registryStore().backends.delete(name);
}

/** Registered backends, highest priority first. */
export function listBackends(): Backend[] {
  return [...registryStore().backends.values()].sort((a, b) => b.priority - a.priority);
}

/** A registered backend by name, or undefined. */
export function getBackend(name: string): Backend | undefined {
  return registryStore().backends.get(name);
}

/**
 * Picks the first usable backend from `preferences` (default: all registered, by priority).
 * Each candidate must be registered, report `isSupported().ok` and finish `init()`.
 * Throws {@link BackendUnavailableError} with every attempt's reason when none works.
 */
export async function resolveBackend(
  preferences?: readonly string[],
  options?: BackendOptions,
): Promise<ResolvedBackend> {
  const names = preferences?.length ? preferences : listBackends().map((b) => b.name);
  const attempts: BackendAttempt[] = [];
  for (const name of names) {
    const backend = getBackend(name);
    if (!backend) {
      attempts.push({
        name,
        ok: false,
        reason: `no backend named '${name}' is registered (did you registry.use() its plugin?)`,
      });
      continue;
    }
    const support = await backend
      .isSupported()
      .catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
    if (!support.ok) {
      attempts.push({ name, ok: false, reason: support.reason });
      continue;
    }
    try {
      await backend.init(options);
    } catch (e) {
      attempts.push({ name, ok: false, reason: `init failed: ${(e as Error).message ?? String(e)}` });
      continue;
    }
    attempts.push({ name, ok: true });
    return { backend, attempts, fellBack: attempts.length > 1 };
  }
  const why = attempts.map((a) => `${a.name}: ${a.reason}`).join('; ');
  throw new BackendUnavailableError(
    names.length ? `no usable backend among [${names.join(', ')}]: ${why}` : 'no backend is registered',
    { attempts },
  );
}
