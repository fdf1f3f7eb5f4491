/**
 * Loading a default model's TF.js files (model.json and its weight shards) and importing them
 * into an Ocular graph.
 * @module
 */
import type { Graph } from '@ocular/core';
import {
  ImportError,
  type ImportTfjsLayersOptions,
  importTfjsGraphModel,
  importTfjsLayersModel,
  parseTfjsModelJson,
  type TfjsGraphImportOptions,
} from '@ocular/import';
import { type AssetRef, readAsset } from '../assets.js';

/** The model.json and the shard bytes (in manifest order) of a TF.js model asset. */
export async function readTfjsAsset(ref: AssetRef): Promise<{ json: object; shards: Uint8Array[] }> {
  const json = parseTfjsModelJson(await readAsset(ref));
  const dir = ref.path.includes('/') ? ref.path.slice(0, ref.path.lastIndexOf('/') + 1) : '';
  const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  if (!paths.length) throw new ImportError(`${ref.pkg}/${ref.path}: the model has no weight shards`);
  const shards = await Promise.all(paths.map((p) => readAsset({ pkg: ref.pkg, path: dir + p })));
  return { json, shards };
}

/** Imports a TF.js GraphModel asset. */
export async function loadGraphModelAsset(
  ref: AssetRef,
  options: TfjsGraphImportOptions = {},
): Promise<Graph> {
  const { json, shards } = await readTfjsAsset(ref);
  return importTfjsGraphModel(json, shards, options).graph;
}

/** Imports a TF.js LayersModel asset. */
export async function loadLayersModelAsset(
  ref: AssetRef,
  options: ImportTfjsLayersOptions = {},
): Promise<Graph> {
  const { json, shards } = await readTfjsAsset(ref);
  return importTfjsLayersModel(json, shards, options).graph;
}
