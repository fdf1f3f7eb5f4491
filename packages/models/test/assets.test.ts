import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@ocular/core';
import { afterEach, describe, expect, it } from 'vitest';
import { readAsset, setModelAssetBase } from '../src/assets.js';

afterEach(() => setModelAssetBase(undefined));

describe('model assets', () => {
  it('reads vendored files byte-identical to the provenance record', async () => {
    const bytes = await readAsset({ pkg: 'ocular', path: 'human-models/selfie.json' });
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88',
    );
  });
  it('reads files of an installed model package whose exports map hides them', async () => {
    const json = JSON.parse(
      new TextDecoder().decode(
        await readAsset({ pkg: '@upscalerjs/default-model', path: 'models/model.json' }),
      ),
    );
    expect(json.format).toBe('layers-model');
  });
  it('reads from a base folder the app sets, and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocular-assets-'));
    mkdirSync(join(dir, 'ocular'), { recursive: true });
    writeFileSync(join(dir, 'ocular', 'x.bin'), new Uint8Array([1, 2, 3]));
    setModelAssetBase(dir);
    expect([...(await readAsset({ pkg: 'ocular', path: 'x.bin' }))]).toEqual([1, 2, 3]);
    await expect(readAsset({ pkg: 'ocular', path: 'missing.bin' })).rejects.toThrow(/missing\.bin/);
    await expect(readAsset({ pkg: '@nope/absent', path: 'a' })).rejects.toThrow(InvalidArgumentError);
  });
});
