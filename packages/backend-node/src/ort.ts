/**
 * Loads onnxruntime-node lazily, so importing this package costs nothing until a backend is
 * used, and a missing or broken native binary becomes a reason instead of a crash.
 * @module
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ortLogLevel } from '@ocular/core';

/** The onnxruntime-node module. */
export type Ort = typeof import('onnxruntime-node');

let loading: Promise<Ort> | undefined;

/** Imports onnxruntime-node once; later calls share the same promise (and the same failure). */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node').then((m) => {
    // onnxruntime-node is CommonJS: depending on the loader the namespace or its default is the API.
    const mod = ((m as { default?: Ort }).default ?? m) as Ort;
    if (typeof mod.InferenceSession?.create !== 'function') {
      throw new Error('onnxruntime-node loaded but does not export InferenceSession');
    }
    // onnxruntime reads its log level once, when the first session starts.
    mod.env.logLevel = ortLogLevel();
    return mod;
  });
  return loading;
}

/** Shared-library file names of the execution providers that onnxruntime-node ships separately. */
const PROVIDER_LIBRARIES: Readonly<Record<string, Readonly<Partial<Record<NodeJS.Platform, string>>>>> = {
  cuda: { linux: 'libonnxruntime_providers_cuda.so', win32: 'onnxruntime_providers_cuda.dll' },
  tensorrt: { linux: 'libonnxruntime_providers_tensorrt.so', win32: 'onnxruntime_providers_tensorrt.dll' },
};

/**
 * Whether the provider library of a non-bundled execution provider is installed next to the
 * native binding: `true`/`false`, or `undefined` when it cannot be told (then the caller just
 * tries). Checking first avoids onnxruntime printing a load failure for every compile.
 */
export function providerLibraryInstalled(ep: string): boolean | undefined {
  const file = PROVIDER_LIBRARIES[ep]?.[process.platform];
  if (!file) return undefined;
  try {
    const main = createRequire(import.meta.url).resolve('onnxruntime-node');
    const dir = join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(dir, file));
  } catch {
    return undefined;
  }
}
