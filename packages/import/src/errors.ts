/**
 * Typed import errors.
 * @module
 */
import { OcularError } from '@ocular/core';

/**
 * A foreign model (TF.js LayersModel or GraphModel JSON, weight shards) is malformed or uses
 * something the importer cannot represent. The message names the weight, layer or op at fault;
 * `details` carries the same facts for programmatic use (e.g. `details.unsupported` lists every
 * unsupported layer class or op at once).
 */
export class ImportError extends OcularError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('E_IMPORT', message, options);
  }
}
