// Where tests find the project's reference data (timm layouts and goldens, the official ONNX
// node tests): `$OCULAR_SHARED_DIR`, or the `shared/` folder beside the repository.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Absolute path of `sub` inside the shared data folder. Throws with the paths it tried when the
 * folder is missing, so a test never passes by not finding its data.
 * @param {string} sub
 * @returns {string}
 */
export function sharedPath(sub) {
  const base = process.env.OCULAR_SHARED_DIR ?? join(root, '..', 'shared');
  const p = join(base, sub);
  if (!existsSync(p)) {
    throw new Error(`reference data not found at ${p}; set OCULAR_SHARED_DIR to the folder holding '${sub}'`);
  }
  return p;
}
