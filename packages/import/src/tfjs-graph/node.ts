/**
 * Importing a TF.js GraphModel from disk (Node only; `node:fs` is loaded lazily by the reader).
 * @module
 */
import { readTfjsModelFiles } from '../tfjs-weights/node.js';
import { importTfjsGraphModel, type TfjsGraphImport, type TfjsGraphImportOptions } from './import.js';

/**
 * Reads `model.json` and its shards and imports the GraphModel.
 *
 * @param path the `model.json` file, or a folder holding one named `model.json`
 * @throws ImportError when a file is missing or malformed, or the model cannot be imported
 */
export async function loadTfjsGraphModel(
  path: string,
  options: TfjsGraphImportOptions = {},
): Promise<TfjsGraphImport> {
  const fs = await import('node:fs/promises');
  let file = path;
  try {
    if ((await fs.stat(path)).isDirectory()) file = `${path.replace(/[\\/]+$/, '')}/model.json`;
  } catch {
    // Missing paths are reported by the reader, which names the file.
  }
  const { modelJson, shards } = await readTfjsModelFiles(file);
  return importTfjsGraphModel(modelJson, shards, options);
}
