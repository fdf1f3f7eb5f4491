/**
 * Where the default models' files are read from: in Node, this package's `assets/` folder and
 * the installed UpscalerJS model packages; in browsers (or to relocate them), a base the app sets
 * with {@link setModelAssetBase}. Nothing is fetched unless the app set an `http(s)` base itself.
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';

/** A file of a default model: from this package's assets, or from an npm package's folder. */
export interface AssetRef {
  /** `ocular` (this package's `assets/`) or an npm package name (`@upscalerjs/esrgan-slim`). */
  readonly pkg: string;
  /** Path inside it (`human-models/nanodet.json`, `models/x2/model.json`). */
  readonly path: string;
}

let assetBase: string | undefined;

/**
 * Reads every asset from `base` instead: a folder path (Node) or an `http(s)://` URL the app
 * serves the files from, laid out as `<base>/<pkg>/<path>` (`<base>/ocular/human-models/…`,
 * `<base>/@upscalerjs/esrgan-slim/models/x2/model.json`). `undefined` restores the default.
 */
export function setModelAssetBase(base: string | undefined): void {
  assetBase = base?.replace(/\/+$/, '');
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

async function packageDir(pkg: string): Promise<string> {
  const { dirname, join, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { existsSync, readFileSync } = await import('node:fs');
  if (pkg === 'ocular') {
    // src/ and dist/ both sit next to assets/.
    return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
  }
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch (e) {
    throw new InvalidArgumentError(`the model package ${pkg} is not installed (${(e as Error).message})`);
  }
  // Walk up from the package's entry point to its own package.json (its exports map hides it).
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg
    )
      return dir;
  }
  throw new InvalidArgumentError(`cannot find the folder of the installed package ${pkg}`);
}

/** The bytes of an asset; an `InvalidArgumentError` naming the file when it cannot be read. */
export async function readAsset(ref: AssetRef): Promise<Uint8Array> {
  if (assetBase && /^https?:\/\//i.test(assetBase)) {
    const url = `${assetBase}/${ref.pkg}/${ref.path}`;
    const res = await fetch(url);
    if (!res.ok) throw new InvalidArgumentError(`cannot load model file ${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  if (!isNode)
    throw new InvalidArgumentError(
      'default models in a browser need setModelAssetBase(url) pointing at where the app serves them',
    );
  const { join } = await import('node:path');
  const { readFile } = await import('node:fs/promises');
  const file = assetBase ? join(assetBase, ref.pkg, ref.path) : join(await packageDir(ref.pkg), ref.path);
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new InvalidArgumentError(`cannot read model file ${file}: ${(e as Error).message}`);
  }
}
