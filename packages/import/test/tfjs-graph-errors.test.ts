// Malformed GraphModels give typed ImportErrors that name what is wrong; unsupported ops are listed
// all at once; reading from disk (file or folder) works and names a missing shard.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interpret } from '@ocular/backend-reference';
import { Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { ImportError, importTfjsGraphModel, loadTfjsGraphModel } from '../src/index.js';
import { A, GraphDefBuilder } from './tfjs-graph-fixtures.js';

const DIR = new URL('../../models/assets/human-models/', import.meta.url).pathname;

function small() {
  const g = new GraphDefBuilder();
  g.placeholder('x', [2]);
  g.op('y', 'Add', ['x', g.const('c', [1, 2], [2])]);
  return g;
}

/** The ImportError `fn` throws (fails the test when it throws anything else or nothing). */
function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).code).toBe('E_IMPORT');
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('malformed input', () => {
  it('invalid JSON text', () => {
    expect(importError(() => importTfjsGraphModel('{"format": "graph-model", ', [])).message).toMatch(/JSON/);
  });

  it('a LayersModel or a topology without nodes', () => {
    const { json, shard } = small().build();
    expect(
      importError(() => importTfjsGraphModel({ ...json, format: 'layers-model' }, [shard])).message,
    ).toMatch(/layers-model.*graph-model/);
    expect(
      importError(() =>
        importTfjsGraphModel({ ...json, format: undefined, modelTopology: { config: {} } }, [shard]),
      ).message,
    ).toMatch(/modelTopology\.node/);
  });

  it('a shard of the wrong size, and a missing shard', () => {
    const { json, shard } = small().build();
    expect(importError(() => importTfjsGraphModel(json, [shard.slice(0, 4)])).message).toMatch(/4 bytes.*8/);
    expect(importError(() => importTfjsGraphModel(json, [])).message).toMatch(/1 shard files, 0 were given/);
  });

  it('an input naming no node, and a constant without a value', () => {
    const g = small();
    g.op('z', 'Relu', ['nowhere:0']);
    const { json, shard } = g.build();
    expect(importError(() => importTfjsGraphModel(json, [shard])).message).toMatch(
      /node 'z' \(Relu\).*'nowhere:0'/,
    );
    const h = new GraphDefBuilder();
    h.placeholder('x', [2]);
    h.nodes.push({ name: 'k', op: 'Const', attr: { dtype: A.type('DT_FLOAT') } });
    h.op('y', 'Add', ['x', 'k']);
    const built = h.build();
    expect(importError(() => importTfjsGraphModel(built.json, [built.shard])).message).toMatch(
      /node 'k' \(Const\)/,
    );
  });

  it('every unsupported op type in one error, with its node names', () => {
    const g = small();
    g.op('w1', 'Foo', ['y']);
    g.op('w2', 'Foo', ['w1']);
    g.op('w3', 'NonMaxSuppressionV5', ['w2']);
    const { json, shard } = g.build();
    const err = importError(() => importTfjsGraphModel(json, [shard]));
    expect(err.message).toContain('2 unsupported TF op type(s)');
    expect(err.message).toContain('Foo (2: w1, w2)');
    expect(err.message).toContain('NonMaxSuppressionV5 (1: w3)');
    expect(err.details?.unsupported).toEqual({ Foo: ['w1', 'w2'], NonMaxSuppressionV5: ['w3'] });
  });

  it('a node whose shapes do not agree is named', () => {
    const g = new GraphDefBuilder();
    g.placeholder('x', [2, 3]);
    g.op('mm', 'MatMul', ['x', g.random('w', [4, 5])], { transpose_a: A.b(false), transpose_b: A.b(false) });
    const { json, shard } = g.build();
    expect(importError(() => importTfjsGraphModel(json, [shard])).message).toMatch(/node 'mm' \(MatMul\)/);
  });
});

describe('inline constants and outputs', () => {
  it('reads tensor_content and repeated values of Const nodes (hand-computed sum)', () => {
    const g = new GraphDefBuilder();
    g.placeholder('x', [3]);
    const content = Buffer.from(new Float32Array([10, 20, 30]).buffer).toString('base64');
    const shape = { dim: [{ size: '3' }] };
    g.nodes.push({
      name: 'a',
      op: 'Const',
      attr: {
        dtype: A.type('DT_FLOAT'),
        value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shape, tensorContent: content } },
      },
    });
    g.nodes.push({
      name: 'b',
      op: 'Const',
      attr: {
        dtype: A.type('DT_FLOAT'),
        value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shape, floatVal: [0.5] } },
      },
    });
    g.op('s1', 'Add', ['x', 'a']);
    g.op('s2', 'AddV2', ['s1', 'b']);
    const { json, shard } = g.build();
    const imp = importTfjsGraphModel(json, [shard]);
    expect(imp.outputs.map((o) => o.name)).toEqual(['s2']);
    const out = interpret(imp.graph, { x: Tensor.from('float32', [1, 2, 3]) });
    expect(out.s2!.toNumbers()).toEqual([11.5, 22.5, 33.5]);
  });
});

describe('reading from disk', () => {
  it('loads a model.json path or a folder holding model.json', async () => {
    const byFile = await loadTfjsGraphModel(`${DIR}selfie.json`);
    expect(byFile.outputs.map((o) => o.name)).toEqual(['activation_10']);
    const dir = mkdtempSync(join(tmpdir(), 'ocular-graph-'));
    copyFileSync(`${DIR}selfie.json`, join(dir, 'model.json'));
    copyFileSync(`${DIR}selfie.bin`, join(dir, 'selfie.bin'));
    const byDir = await loadTfjsGraphModel(dir);
    expect(byDir.graph.nodes.length).toBe(byFile.graph.nodes.length);
  });

  it('names a missing shard file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocular-graph-'));
    const { json } = small().build();
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadTfjsGraphModel(dir)).rejects.toThrow(/group1-shard1of1\.bin/);
    await expect(loadTfjsGraphModel(dir)).rejects.toBeInstanceOf(ImportError);
  });
});
