/**
 * Parsing and structural validation of a TF.js `model.json`.
 * @module
 */
import { ImportError } from '../errors.js';
import type { TfjsModelJson } from './types.js';

/**
 * Parses a TF.js `model.json` (text, bytes or an already parsed object) and checks the structure
 * both importers rely on: an object with a `modelTopology` and a `weightsManifest` array of
 * `{paths, weights}` groups.
 *
 * @throws ImportError for invalid JSON or a missing/ill-typed `modelTopology` / `weightsManifest`
 */
export function parseTfjsModelJson(source: string | Uint8Array | object): TfjsModelJson {
  let obj: unknown = source;
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new ImportError(`model.json is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new ImportError('model.json must hold a JSON object');
  }
  const json = obj as Record<string, unknown>;
  if (json.modelTopology === null || typeof json.modelTopology !== 'object') {
    throw new ImportError("model.json has no 'modelTopology' object", {
      details: { keys: Object.keys(json) },
    });
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) {
    throw new ImportError("model.json has no 'weightsManifest' array", {
      details: { keys: Object.keys(json) },
    });
  }
  manifest.forEach((g: unknown, i) => {
    const group = g as Record<string, unknown> | null;
    if (
      group === null ||
      typeof group !== 'object' ||
      !Array.isArray(group.paths) ||
      !Array.isArray(group.weights)
    ) {
      throw new ImportError(`weightsManifest group #${i} needs 'paths' and 'weights' arrays`, {
        details: { group: i },
      });
    }
    if (!group.paths.every((p) => typeof p === 'string')) {
      throw new ImportError(`weightsManifest group #${i} has a non-string path`, { details: { group: i } });
    }
  });
  return json as TfjsModelJson;
}
