/**
 * `createModel`: resolve a name, import the model code, build the module and load weights the
 * caller gave explicitly. Nothing is downloaded implicitly.
 * @module
 */
import { RegistryError, StateDictError } from '../errors.js';
import { readSafetensors, readSafetensorsFile, readSafetensorsUrl } from '../io/safetensors.js';
import { Module } from '../nn/module.js';
import type { LoadReport, StateDictSource, TensorSource } from '../nn/state-dict.js';
import { Tensor } from '../tensor.js';
import { Model } from './model.js';
import { getModelInfo, resolveModel } from './registry.js';
import type {
  FeatureInfo,
  ModelBuildOptions,
  ModelEntry,
  ModelFactory,
  ModelFactoryObject,
} from './types.js';

/** Weight sources `createModel` accepts. */
export type WeightsSource =
  /** safetensors bytes */
  | Uint8Array
  | ArrayBuffer
  /** a safetensors file path (Node) or an explicit `http(s)://` URL */
  | string
  /** an opened safetensors file, a `Map`, a record of tensors, or any `TensorSource` */
  | StateDictSource;

/** Options of {@link createModel} (timm's `create_model` arguments). */
export interface CreateModelOptions {
  /**
   * Load pretrained weights. Ocular never fetches weights on its own: this requires `weights`
   * and is otherwise an error.
   */
  readonly pretrained?: boolean;
  /** Classifier size (default: the entry's / the weight tag's). With weights of another size the classifier is left initialised. */
  readonly numClasses?: number;
  /** Build the backbone returning feature maps instead of logits. */
  readonly featuresOnly?: boolean;
  /** Which feature maps (indices into the entry's featureInfo; negatives count from the end). */
  readonly outIndices?: readonly number[];
  /** Input channels (default: the entry's). Pretrained first-conv weights are adapted as timm does. */
  readonly inChans?: number;
  /** Weights to load (safetensors bytes, path, URL, opened file or state dict). */
  readonly weights?: WeightsSource;
  /** Fail on missing / unexpected / mismatched keys (default true). */
  readonly strict?: boolean;
  /** Extra builder arguments for the family (timm's `**kwargs`). */
  readonly kwargs?: Readonly<Record<string, unknown>>;
}

const factories = new WeakMap<ModelEntry, Promise<ModelFactoryObject>>();

function loadFactory(name: string, entry: ModelEntry): Promise<ModelFactoryObject> {
  let p = factories.get(entry);
  if (!p) {
    p = Promise.resolve()
      .then(() => entry.load())
      .then((f: ModelFactory) => {
        const obj = typeof f === 'function' ? { create: f } : f;
        if (!obj || typeof obj.create !== 'function') {
          throw new RegistryError(`model '${name}': load() must resolve to a builder function or { create }`);
        }
        return obj;
      })
      .catch((err: unknown) => {
        factories.delete(entry); // let a later call retry (e.g. after a network hiccup)
        if (err instanceof RegistryError) throw err;
        throw Object.assign(
          new RegistryError(`model '${name}': loading its code failed: ${(err as Error)?.message ?? err}`),
          {
            cause: err,
          },
        );
      });
    factories.set(entry, p);
  }
  return p;
}

function isTensorSource(s: unknown): s is TensorSource {
  const o = s as Partial<TensorSource> | null;
  return !!o && typeof o.keys === 'function' && typeof o.get === 'function';
}

function asTensorSource(s: StateDictSource): TensorSource {
  if (isTensorSource(s)) return s;
  const rec = s as Readonly<Record<string, Tensor>>;
  return { keys: () => Object.keys(rec), get: (k) => rec[k] };
}

/**
 * Opens a weights source as a lazily read tensor source: safetensors bytes, a file path, an
 * explicit `http(s)://` URL, or an in-memory state dict.
 */
export async function openWeights(w: WeightsSource): Promise<TensorSource> {
  if (w instanceof Uint8Array || w instanceof ArrayBuffer) return readSafetensors(w);
  if (typeof w === 'string') return /^https?:\/\//i.test(w) ? readSafetensorsUrl(w) : readSafetensorsFile(w);
  return asTensorSource(w);
}

/** A view of `src` without the keys under any of `prefixes`. */
function withoutPrefixes(src: TensorSource, prefixes: readonly string[]): TensorSource {
  const hidden = (k: string) => prefixes.some((p) => k === p || k.startsWith(`${p}.`));
  return {
    keys: () => [...src.keys()].filter((k) => !hidden(k)),
    get: (k) => src.get(k),
    info: src.info ? (k) => src.info!(k) : undefined,
  };
}

/**
 * timm's `adapt_input_conv` for a first-conv weight `[O, I, k...]` trained on RGB: for 1 channel
 * the RGB filters are summed (in groups of 3 when I is a multiple of 3 above 3, leaving I/3
 * channels, as timm); for other counts the RGB filters are tiled to `inChans` and scaled by
 * 3 / inChans.
 */
export function adaptInputConv(weight: Tensor, inChans: number): Tensor<'float32'> {
  const [o, i, ...k] = weight.dims as number[];
  const ks = k.reduce((a, b) => a * b, 1);
  const src = weight.toFloat32();
  const at = (a: number, c: number, s: number) => src[(a * i! + c) * ks + s]!;
  if (inChans === 1) {
    if (i! > 3 && i! % 3) throw new RegistryError(`cannot adapt a first conv with ${i} input channels to 1`);
    const outC = i! > 3 ? i! / 3 : 1;
    const per = Math.min(3, i!);
    const res = new Float32Array(o! * outC * ks);
    for (let a = 0; a < o!; a++)
      for (let g = 0; g < outC; g++)
        for (let s = 0; s < ks; s++) {
          let sum = 0;
          for (let c = 0; c < per; c++) sum += at(a, g * per + c, s);
          res[(a * outC + g) * ks + s] = sum;
        }
    return new Tensor('float32', res, [o!, outC, ...k]);
  }
  if (i !== 3) throw new RegistryError(`cannot adapt a first conv with ${i} input channels to ${inChans}`);
  const res = new Float32Array(o! * inChans * ks);
  for (let a = 0; a < o!; a++)
    for (let c = 0; c < inChans; c++)
      for (let s = 0; s < ks; s++) res[(a * inChans + c) * ks + s] = at(a, c % 3, s) * (3 / inChans);
  return new Tensor('float32', res, [o!, inChans, ...k]);
}

/** A view of `src` whose `${firstConv}.weight` is adapted to `inChans`. */
function withAdaptedInput(src: TensorSource, firstConv: string, inChans: number): TensorSource {
  const key = `${firstConv}.weight`;
  return {
    keys: () => src.keys(),
    get: (k) => {
      const t = src.get(k);
      if (k !== key) return t;
      return t instanceof Promise
        ? t.then((x) => adaptInputConv(x, inChans))
        : t && adaptInputConv(t, inChans);
    },
  };
}

function selectFeatures(
  info: readonly FeatureInfo[],
  featuresOnly: boolean,
  outIndices?: readonly number[],
): FeatureInfo[] {
  if (!featuresOnly || !outIndices) return [...info];
  return outIndices.map((i) => {
    const f = info[i < 0 ? i + info.length : i];
    if (!f) throw new RegistryError(`outIndices: ${i} is out of range for ${info.length} feature maps`);
    return f;
  });
}

/**
 * Creates a model by name (`scope/arch[.tag]` or an unambiguous bare `arch[.tag]`), as timm's
 * `create_model`: imports the model code, builds the module with `numClasses` / `inChans` /
 * `featuresOnly` / `outIndices`, and loads `weights` when given (through the family's
 * checkpoint filter; the classifier is skipped when `numClasses` differs from the weights', the
 * first conv adapted when `inChans` differs). Weights are never fetched implicitly.
 */
export async function createModel(name: string, options: CreateModelOptions = {}): Promise<Model> {
  const { model, tag, variant } = resolveModel(name);
  const info = getModelInfo(
    tag ? `${model.scope}/${model.entry.name}.${tag}` : `${model.scope}/${model.entry.name}`,
  );
  if (options.pretrained && options.weights === undefined) {
    throw new RegistryError(
      `createModel('${name}', { pretrained: true }): no weights given. Ocular never downloads weights implicitly; pass ` +
        '`weights`: safetensors bytes, a file path, an explicit URL, an opened safetensors file or a state dict.',
      { name },
    );
  }
  const numClasses = options.numClasses ?? info.numClasses;
  const inChans = options.inChans ?? info.defaultInputSize[0];
  const featuresOnly = options.featuresOnly ?? false;
  if (!Number.isInteger(numClasses) || numClasses < 0)
    throw new RegistryError(`numClasses must be an integer ≥ 0`);
  if (!Number.isInteger(inChans) || inChans < 1)
    throw new RegistryError(`inChans must be a positive integer`);
  const buildOptions: ModelBuildOptions = {
    name: tag ? `${info.name}.${tag}` : info.name,
    arch: info.arch,
    tag,
    numClasses,
    inChans,
    featuresOnly,
    outIndices: options.outIndices,
    info,
    kwargs: options.kwargs ?? {},
  };
  const factory = await loadFactory(info.name, model.entry);
  const module = await factory.create(buildOptions);
  if (!(module instanceof Module))
    throw new RegistryError(`model '${info.name}': the builder did not return a Module`);

  let report: LoadReport | undefined;
  if (options.weights !== undefined) {
    let source: TensorSource = await openWeights(options.weights);
    if (factory.checkpointFilter)
      source = asTensorSource(await factory.checkpointFilter(source, module, buildOptions));
    const dropClassifier = featuresOnly || numClasses !== (variant?.numClasses ?? info.numClasses);
    if (dropClassifier && info.classifier.length) source = withoutPrefixes(source, info.classifier);
    if (inChans !== info.defaultInputSize[0]) {
      if (!info.firstConv) {
        throw new RegistryError(
          `model '${info.name}' does not declare firstConv, so its weights cannot be adapted to ${inChans} channels`,
        );
      }
      source = withAdaptedInput(source, info.firstConv, inChans);
    }
    report = await module.loadStateDictAsync(source, { strict: false });
    const underClassifier = (k: string) => info.classifier.some((p) => k === p || k.startsWith(`${p}.`));
    const missing = report.missing.filter((k) => !(dropClassifier && underClassifier(k)));
    if (
      (options.strict ?? true) &&
      (missing.length || report.unexpected.length || report.mismatched.length)
    ) {
      const list = (a: readonly string[]) =>
        a.length > 10 ? `${a.slice(0, 10).join(', ')}, ... (${a.length})` : a.join(', ');
      throw new StateDictError(
        `createModel('${name}'): weights do not fit: ${missing.length} missing [${list(missing)}], ` +
          `${report.unexpected.length} unexpected [${list(report.unexpected)}], ` +
          `${report.mismatched.length} mismatched [${list(report.mismatched.map((m) => m.key))}]`,
        { missing, unexpected: report.unexpected, mismatched: report.mismatched },
      );
    }
  }
  const featureInfo = factory.featureInfo
    ? [...factory.featureInfo(module, buildOptions)]
    : selectFeatures(info.featureInfo, featuresOnly, options.outIndices);
  return new Model(
    buildOptions.name,
    info,
    module,
    { numClasses, inChans, featuresOnly, outIndices: options.outIndices, featureInfo },
    report,
  );
}
