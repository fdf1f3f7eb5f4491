/**
 * Reading a TF.js model (`model.json` and its shard files) from disk. Node only: `node:fs` is
 * imported dynamically, so the package stays importable in browsers.
 * @module
 */
import { ImportError } from '../errors.js';
import { parseTfjsModelJson } from './model-json.js';
import type { TfjsModelJson } from './types.js';

/** A TF.js model read from disk. */
export interface TfjsModelFiles {
  /** The parsed and checked `model.json`. */
  modelJson: TfjsModelJson;
  /** Each shard's bytes, in manifest order (groups in order, each group's paths in order). */
  shards: Uint8Array[];
  /** Absolute paths of the shard files read, same order as `shards`. */
  shardPaths: string[];
}

/**
 * Reads `model.json` and every shard file its `weightsManifest` names (paths relative to the
 * JSON file's folder). Shard contents are not decoded here; pass `shards` to
 * `decodeTfjsWeights(modelJson.weightsManifest, shards)`, which checks their sizes.
 *
 * @param modelJsonPath path of `model.json`
 * @throws ImportError when the JSON cannot be read or parsed, or a shard file is missing
 */
export async function readTfjsModelFiles(modelJsonPath: string): Promise<TfjsModelFiles> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  let text: string;
  try {
    text = await fs.readFile(modelJsonPath, 'utf8');
  } catch (e) {
    throw new ImportError(`cannot read ${modelJsonPath}: ${(e as Error).message}`, {
      cause: e,
      details: { path: modelJsonPath },
    });
  }
  const modelJson = parseTfjsModelJson(text);
  const dir = path.dirname(path.resolve(modelJsonPath));
  const shardPaths = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => path.resolve(dir, p)));
  const shards = await Promise.all(
    shardPaths.map(async (p) => {
      try {
        const b = await fs.readFile(p);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        throw new ImportError(
          `weight shard ${p} named by ${modelJsonPath} cannot be read: ${(e as Error).message}`,
          {
            cause: e,
            details: { path: p, model: modelJsonPath },
          },
        );
      }
    }),
  );
  return { modelJson, shards, shardPaths };
}
