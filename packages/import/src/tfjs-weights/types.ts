/**
 * The TF.js weights manifest format (`model.json`'s `weightsManifest`), as written by
 * tfjs-converter and `tf.LayersModel.save`.
 * @module
 */

/** Element types a TF.js weight spec may declare. */
export type TfjsWeightDType = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';

/**
 * Quantisation of one weight: `float16` stores IEEE half floats; `uint8`/`uint16` store
 * `round((value - min) / scale)` and decode as `q * scale + min`.
 */
export interface TfjsWeightQuantization {
  /** Storage type of the quantised values. */
  dtype: 'float16' | 'uint8' | 'uint16';
  /** Affine scale (uint8/uint16 only). */
  scale?: number;
  /** Affine offset (uint8/uint16 only). */
  min?: number;
  /** The original dtype before quantisation (informational). */
  original_dtype?: string;
}

/** One weight of a manifest group: its name, shape, dtype and optional quantisation. */
export interface TfjsWeightSpec {
  /** Weight name (Keras variable path, e.g. `conv2d/kernel`, or a GraphDef node name). */
  name: string;
  /** Static shape. */
  shape: number[];
  /** Decoded element type. */
  dtype: TfjsWeightDType | string;
  /** Present when the bytes are quantised. */
  quantization?: TfjsWeightQuantization;
  /** Group name some exporters add; unused. */
  group?: string;
}

/** One manifest group: the shard files holding its weights, in order, and the weights' specs. */
export interface TfjsWeightsGroup {
  /** Shard file paths, relative to `model.json`. */
  paths: string[];
  /** Weights stored in the concatenated shards, in byte order. */
  weights: TfjsWeightSpec[];
}

/** A TF.js weights manifest: groups whose shards concatenate in manifest order. */
export type TfjsWeightsManifest = TfjsWeightsGroup[];

/** The parts of a TF.js `model.json` the importers read (both LayersModel and GraphModel). */
export interface TfjsModelJson {
  /** `layers-model` or `graph-model` (may be absent in older files). */
  format?: string;
  /** Who wrote the file. */
  generatedBy?: string;
  /** Converter name/version. */
  convertedBy?: string | null;
  /** Keras model config (LayersModel) or GraphDef (GraphModel). */
  modelTopology: unknown;
  /** Where the weights are. */
  weightsManifest: TfjsWeightsManifest;
  /** Other keys (signature, userDefinedMetadata, modelInitializer...) are kept as read. */
  [key: string]: unknown;
}
