// Readers for the timm/torchvision reference data (layouts and goldens) shared by the model
// family packages' tests. See ../shared/reference/README.md for the file formats.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './shared-data.js';

/** Where the reference data lives; throws when missing, so tests never pass by skipping. */
export const REFERENCE_DIR = sharedPath('reference');

/** @param {string} model */
export function hasLayout(model) {
  return existsSync(join(REFERENCE_DIR, 'layouts', `${model}.json`));
}

/** @param {string} model */
export function layout(model) {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'layouts', `${model}.json`), 'utf8'));
}

/** A module's state dict in the layout format: [key, shape, 'param' | 'buffer', dtype]. */
export function moduleLayout(m) {
  const params = new Set([...m.namedParameters()].map(([k]) => k));
  return [...m.stateDict()].map(([k, t]) => [k, [...t.dims], params.has(k) ? 'param' : 'buffer', t.dtype]);
}

/** @param {string} name */
export function goldenSidecar(name) {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'golden', `${name}.json`), 'utf8'));
}

/** @param {string} name */
export function goldenBytes(name) {
  return new Uint8Array(readFileSync(join(REFERENCE_DIR, 'golden', `${name}.safetensors`)));
}
