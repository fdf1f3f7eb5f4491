import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../src/backend/contract.js';
import { getBackend, listBackends } from '../src/backend/resolve.js';
import { ClassifierHead, ConvNormAct } from '../src/blocks/index.js';
import { InvalidArgumentError, RegistryError, StateDictError } from '../src/errors.js';
import { writeSafetensors } from '../src/io/safetensors.js';
import type { SymbolicTensor } from '../src/ir/trace.js';
import { Module } from '../src/nn/index.js';
import {
  adaptInputConv,
  CORE_VERSION,
  createModel,
  definePlugin,
  getModelInfo,
  listModels,
  type ModelBuildOptions,
  type ModelEntry,
  type Plugin,
  registry,
  satisfies,
} from '../src/registry/index.js';
import { registryMap } from '../src/registry/store.js';
import { Tensor } from '../src/tensor.js';

/** A tiny classifier: `stem` ConvNormAct and a `head` ClassifierHead (timm names). */
class TinyNet extends Module<[SymbolicTensor], SymbolicTensor | SymbolicTensor[]> {
  readonly stem: ConvNormAct;
  readonly head: ClassifierHead;
  constructor(readonly opts: ModelBuildOptions) {
    super();
    this.stem = this.registerModule('stem', new ConvNormAct(opts.inChans, 4, { kernelSize: 3, stride: 2 }));
    this.head = this.registerModule('head', new ClassifierHead(4, opts.featuresOnly ? 0 : opts.numClasses));
  }
  forward(x: SymbolicTensor): SymbolicTensor | SymbolicTensor[] {
    const f = this.stem.call(x);
    return this.opts.featuresOnly ? [f] : this.head.call(f);
  }
}

const loads = { count: 0 };

function entry(name: string, extra: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name,
    family: 'test',
    defaultInputSize: [3, 8, 8],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 5,
    paramCount: 3 * 4 * 9 + 8 + 4 * 5 + 5,
    variants: ['a1_in1k', { tag: 'in21k', numClasses: 7, license: 'cc-by-nc-4.0' }],
    tags: ['tiny'],
    classifier: 'head.fc',
    firstConv: 'stem.conv',
    featureInfo: [{ numChs: 4, reduction: 2, module: 'stem' }],
    load: async () => {
      loads.count++;
      return (o: ModelBuildOptions) => new TinyNet(o);
    },
    ...extra,
  };
}

const used: Plugin[] = [];
function use(p: Plugin): Plugin {
  registry.use(p);
  used.push(p);
  return p;
}
afterEach(() => {
  for (const p of used.splice(0)) registry.remove(p);
  loads.count = 0;
});

function fakeBackend(name: string): Backend {
  return {
    name,
    priority: 1,
    isSupported: async () => ({ ok: true }),
    init: async () => {},
    compile: async () => {
      throw new Error('not used');
    },
    unsupportedOps: () => [],
  };
}

describe('definePlugin', () => {
  it('is pure, validates and freezes', () => {
    const p = definePlugin({
      scope: 'acme',
      name: '@acme/cnn',
      coreRange: '^0.1.0',
      models: [entry('tinynet')],
    });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.models)).toBe(true);
    expect(Object.isFrozen(p.models[0])).toBe(true);
    expect(listModels()).toEqual([]); // defining registers nothing
  });

  it.each([
    [{ scope: 'Acme/x', coreRange: '*' }, /scope/],
    [{ scope: 'acme', coreRange: 'not a range' }, /coreRange/],
    [{ scope: 'acme', coreRange: '*', models: [entry('a.b')] }, /letters, digits/],
    [{ scope: 'acme', coreRange: '*', models: [entry('m', { mean: [0.5] })] }, /mean must be 3/],
    [
      { scope: 'acme', coreRange: '*', models: [entry('m', { defaultInputSize: [3, 0, 8] })] },
      /defaultInputSize/,
    ],
    [
      { scope: 'acme', coreRange: '*', models: [entry('m', { load: undefined as never })] },
      /load must be a function/,
    ],
    [{ scope: 'acme', coreRange: '*', models: [entry('m'), entry('m')] }, /listed twice/],
    [{ scope: 'acme', coreRange: '*', backends: [{ name: 'x' } as never] }, /Backend contract/],
  ])('rejects %j', (spec, message) => {
    expect(() => definePlugin(spec as never)).toThrow(InvalidArgumentError);
    expect(() => definePlugin(spec as never)).toThrow(message);
  });
});

describe('registry.use and lookup', () => {
  it('lists metadata without loading model code', () => {
    use(
      definePlugin({
        scope: 'acme',
        coreRange: '^0.1.0',
        models: [entry('tinynet'), entry('bignet', { tags: [] })],
      }),
    );
    expect(listModels()).toEqual(['acme/bignet', 'acme/tinynet']);
    expect(listModels('tiny*')).toEqual(['acme/tinynet']);
    expect(listModels({ tag: 'tiny' })).toEqual(['acme/tinynet']);
    expect(listModels({ family: 'other' })).toEqual([]);
    expect(listModels({ pretrained: true, name: 'tiny*' })).toEqual([
      'acme/tinynet.a1_in1k',
      'acme/tinynet.in21k',
    ]);
    expect(listModels('*.in21k')).toEqual(['acme/bignet.in21k', 'acme/tinynet.in21k']);
    const info = getModelInfo('tinynet');
    expect(info).toMatchObject({
      name: 'acme/tinynet',
      arch: 'tinynet',
      scope: 'acme',
      tag: 'a1_in1k',
      numClasses: 5,
    });
    expect(getModelInfo('acme/tinynet.in21k')).toMatchObject({
      tag: 'in21k',
      numClasses: 7,
      license: 'cc-by-nc-4.0',
    });
    expect(loads.count).toBe(0);
    // One registry per process: the state lives in the globalThis store.
    expect(registryMap('models').has('acme/tinynet')).toBe(true);
  });

  it('throws on duplicates, registering nothing; the same plugin twice is a no-op', () => {
    const a = use(definePlugin({ scope: 'acme', name: 'a', coreRange: '*', models: [entry('tinynet')] }));
    registry.use(a);
    expect(listModels()).toEqual(['acme/tinynet']);
    const b = definePlugin({
      scope: 'acme',
      name: 'b',
      coreRange: '*',
      models: [entry('other'), entry('tinynet')],
    });
    expect(() => registry.use(b)).toThrow(RegistryError);
    expect(() => registry.use(b)).toThrow(/'acme\/tinynet' is already registered/);
    expect(listModels()).toEqual(['acme/tinynet']);
  });

  it('bare names must be unambiguous; scoped names always work; unknown tags are errors', () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    use(definePlugin({ scope: 'other', coreRange: '*', models: [entry('tinynet')] }));
    expect(() => getModelInfo('tinynet')).toThrow(/ambiguous.*'acme\/tinynet', 'other\/tinynet'/);
    expect(getModelInfo('other/tinynet').scope).toBe('other');
    expect(() => getModelInfo('acme/tinynet.nope')).toThrow(/no weights tagged 'nope'/);
    expect(() => getModelInfo('acme/missing')).toThrow(/unknown model/);
  });

  it('checks coreRange against the core version', () => {
    expect(satisfies(CORE_VERSION, '^0.1.0')).toBe(true);
    const p = definePlugin({ scope: 'future', coreRange: '>=99.0.0', models: [entry('m')] });
    expect(() => registry.use(p)).toThrow(/needs @ocular\/core >=99\.0\.0/);
    expect(listModels()).toEqual([]);
  });

  it('CORE_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it('registers and removes backends through registerBackend', () => {
    const be = fakeBackend('fake-test-backend');
    const p = use(definePlugin({ scope: 'acme', coreRange: '*', backends: [be] }));
    expect(getBackend('fake-test-backend')).toBe(be);
    expect(listBackends()).toContain(be);
    expect(registry.listBackends()).toContain(be);
    registry.remove(p);
    used.length = 0;
    expect(getBackend('fake-test-backend')).toBeUndefined();
  });

  it('registers heads by scope/name', () => {
    use(
      definePlugin({
        scope: 'acme',
        coreRange: '*',
        heads: [{ name: 'yolo', task: 'detection', load: async () => ({}) }],
      }),
    );
    expect(registry.listHeads('detection')).toEqual(['acme/yolo']);
    expect(registry.getHead('yolo').task).toBe('detection');
  });
});

describe('semver ranges', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.9', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.0', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['0.1.0', '>=0.1.0', true],
    ['0.0.9', '>=0.1.0', false],
    ['0.1.0', '0.1.0', true],
    ['0.1.1', '0.1.0', false],
    ['5.0.0', '*', true],
    ['1.0.0-rc.1', '>=1.0.0', false],
    ['1.0.0-rc.1', '>=1.0.0-beta.2', true],
    ['0.5.0', '>=0.1.0 <0.4.0 || ^0.5.0', true],
    ['0.4.5', '>=0.1.0 <0.4.0 || ^0.5.0', false],
  ])('%s satisfies %s: %s', (v, range, ok) => {
    expect(satisfies(v, range)).toBe(ok);
  });
});

describe('createModel', () => {
  const weights = (numClasses = 5, inChans = 3) => {
    const w = new Map<string, Tensor>();
    const n = (d: number[]) => d.reduce((a, b) => a * b, 1);
    const put = (k: string, d: number[], f: (i: number) => number) =>
      w.set(
        k,
        Tensor.from(
          'float32',
          Array.from({ length: n(d) }, (_, i) => f(i)),
          d,
        ),
      );
    put('stem.conv.weight', [4, inChans, 3, 3], (i) => i * 0.01);
    put('stem.bn.weight', [4], () => 1);
    put('stem.bn.bias', [4], () => 0);
    put('stem.bn.running_mean', [4], () => 0);
    put('stem.bn.running_var', [4], () => 1);
    w.set('stem.bn.num_batches_tracked', Tensor.scalar('int64', 0));
    put('head.fc.weight', [numClasses, 4], (i) => i);
    put('head.fc.bias', [numClasses], () => 0.5);
    return w;
  };

  it('loads code lazily, once, and builds with the requested options', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m = await createModel('tinynet', { numClasses: 3 });
    expect(loads.count).toBe(1);
    expect(m.name).toBe('acme/tinynet.a1_in1k');
    expect((m.module as TinyNet).head.numClasses).toBe(3);
    expect(m.loadReport).toBeUndefined();
    await createModel('acme/tinynet');
    expect(loads.count).toBe(1);
  });

  it('refuses pretrained without an explicit weight source (nothing is fetched)', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    await expect(createModel('tinynet', { pretrained: true })).rejects.toThrow(
      /never downloads weights implicitly/,
    );
    expect(loads.count).toBe(0);
  });

  it('loads explicit weights strictly from a Map, safetensors bytes and a file path', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m1 = await createModel('tinynet', { pretrained: true, weights: weights() });
    expect(m1.loadReport!.loaded.length).toBe(8);
    const fc = (m: typeof m1) => (m.module as TinyNet).head.fc.parameter('weight')!.toNumbers();
    expect(fc(m1)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const bytes = writeSafetensors(weights());
    const m2 = await createModel('tinynet', { weights: bytes });
    expect(fc(m2)).toEqual(fc(m1));
    const dir = mkdtempSync(join(tmpdir(), 'ocular-registry-'));
    writeFileSync(join(dir, 'w.safetensors'), bytes);
    const m3 = await createModel('tinynet', { weights: join(dir, 'w.safetensors') });
    expect(fc(m3)).toEqual(fc(m1));
    const bad = weights();
    bad.delete('stem.bn.bias');
    bad.set('extra', Tensor.zeros('float32', [1]));
    await expect(createModel('tinynet', { weights: bad })).rejects.toThrow(StateDictError);
    await expect(createModel('tinynet', { weights: bad })).rejects.toThrow(
      /1 missing \[stem\.bn\.bias\], 1 unexpected \[extra\]/,
    );
    const loose = await createModel('tinynet', { weights: bad, strict: false });
    expect(loose.loadReport!.missing).toEqual(['stem.bn.bias']);
  });

  it('keeps the classifier initialised when numClasses differs from the weights, as timm', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m = await createModel('tinynet', { weights: weights(5), numClasses: 2 });
    expect(m.loadReport!.loaded).not.toContain('head.fc.weight');
    expect(m.loadReport!.missing).toEqual(['head.fc.weight', 'head.fc.bias']);
    expect((m.module as TinyNet).head.fc.parameter('weight')!.dims).toEqual([2, 4]);
    // The in21k tag declares 7 classes: its weights load fully at the default.
    const m21 = await createModel('tinynet.in21k', { weights: weights(7) });
    expect(m21.config.numClasses).toBe(7);
    expect(m21.loadReport!.missing).toEqual([]);
  });

  it('adapts the first conv to other input channel counts as timm', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m = await createModel('tinynet', { weights: weights(), inChans: 1 });
    const w = (m.module as TinyNet).stem.conv.weight;
    expect(w.dims).toEqual([4, 1, 3, 3]);
    // output 0, tap 0: sum over RGB of 0.01·(c·9) = 0.01·(0 + 9 + 18)
    expect(w.data[0]).toBeCloseTo(0.27, 6);
    // 5 channels: RGB tiled (c % 3) and scaled by 3/5
    const t = adaptInputConv(Tensor.from('float32', [1, 2, 3], [1, 3, 1, 1]), 5);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 1, 2].map((v) => Math.fround(v * 0.6)));
    // 6-channel conv to 1 channel: groups of 3 summed (timm), leaving 2 channels
    const g = adaptInputConv(Tensor.from('float32', [1, 2, 3, 10, 20, 30], [1, 6, 1, 1]), 1);
    expect(g.dims).toEqual([1, 2, 1, 1]);
    expect(Array.from(g.data)).toEqual([6, 60]);
  });

  it('featuresOnly selects featureInfo by outIndices and skips classifier weights', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m = await createModel('tinynet', { featuresOnly: true, outIndices: [-1], weights: weights() });
    expect(m.featureInfo).toEqual([{ numChs: 4, reduction: 2, module: 'stem' }]);
    expect(m.loadReport!.unexpected).toEqual([]);
    await expect(createModel('tinynet', { featuresOnly: true, outIndices: [3] })).rejects.toThrow(
      /out of range/,
    );
  });

  it('wraps failures of the model code with the model name, and retries later', async () => {
    let fail = true;
    use(
      definePlugin({
        scope: 'acme',
        coreRange: '*',
        models: [
          entry('flaky', {
            load: async () => {
              if (fail) throw new Error('chunk failed');
              return (o: ModelBuildOptions) => new TinyNet(o);
            },
          }),
        ],
      }),
    );
    await expect(createModel('flaky')).rejects.toThrow(
      /model 'acme\/flaky': loading its code failed: chunk failed/,
    );
    fail = false;
    await expect(createModel('flaky')).resolves.toBeDefined();
  });

  it('applies the family checkpoint filter before loading', async () => {
    const filter = vi.fn((state: { keys(): Iterable<string>; get(k: string): unknown }) => {
      // A foreign layout: keys prefixed by 'model.'.
      const out = new Map<string, Tensor>();
      for (const k of state.keys()) out.set(k.replace(/^model\./, ''), state.get(k) as Tensor);
      return out;
    });
    use(
      definePlugin({
        scope: 'acme',
        coreRange: '*',
        models: [
          entry('filtered', {
            load: async () => ({ create: (o) => new TinyNet(o), checkpointFilter: filter }),
          }),
        ],
      }),
    );
    const foreign = new Map([...weights()].map(([k, v]) => [`model.${k}`, v]));
    const m = await createModel('filtered', { weights: foreign });
    expect(filter).toHaveBeenCalledOnce();
    expect(m.loadReport!.loaded.length).toBe(8);
  });

  it('traces with metadata for export', async () => {
    use(definePlugin({ scope: 'acme', coreRange: '*', models: [entry('tinynet')] }));
    const m = await createModel('tinynet');
    const g = m.trace({ batch: 1 });
    expect(g.name).toBe('acme/tinynet.a1_in1k');
    expect(g.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: [1, 3, 8, 8] }]);
    expect(g.outputs[0]!.shape).toEqual([1, 5]);
    expect(JSON.parse(g.metadata['ocular.mean']!)).toEqual([0.485, 0.456, 0.406]);
    expect(g.metadata['ocular.num_classes']).toBe('5');
    expect([...g.initializers.keys()]).toContain('head.fc.weight');
  });
});

describe('registry.use validates plugins not made by definePlugin', () => {
  it('rejects a hand-written plugin with a bad entry', () => {
    const raw = Object.freeze({
      scope: 'acme',
      coreRange: '*',
      models: [entry('m', { mean: [1] })],
      heads: [],
      backends: [],
    });
    expect(() => registry.use(raw as never)).toThrow(/mean must be 3/);
    expect(listModels()).toEqual([]);
  });
});
