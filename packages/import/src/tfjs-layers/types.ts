/**
 * The Keras model-config JSON a TF.js LayersModel's `modelTopology` holds (written by Python
 * Keras 2/3 through tfjs-converter, or by `tf.LayersModel.save`).
 * @module
 */

/** A layer's serialised config: `name` plus class-specific keys (snake_case, as Keras writes them). */
export type KerasLayerArgs = Record<string, unknown> & { name?: string };

/**
 * One inbound tensor reference: Keras 2 writes `[layerName, nodeIndex, tensorIndex, kwargs?]`;
 * Keras 3 writes `{class_name: '__keras_tensor__', config: {keras_history: [name, node, tensor]}}`.
 */
export type KerasInboundRef = readonly unknown[] | { config?: { keras_history?: readonly unknown[] } };

/** One layer entry of a functional or sequential model config. */
export interface KerasLayerJson {
  /** Registered Keras class, e.g. `Conv2D`. */
  class_name: string;
  /** Layer config. */
  config: KerasLayerArgs;
  /** Layer name (functional models; Sequential keeps it in `config.name`). */
  name?: string;
  /** Keras 2: a list of call nodes, each a list of inbound refs. Keras 3: a list of `{args, kwargs}`. */
  inbound_nodes?: unknown[];
}

/** One resolved layer call: the layer, which of its calls it is, and the tensors it consumes. */
export interface LayerCall {
  /** The layer entry. */
  layer: KerasLayerJson;
  /** Layer name. */
  name: string;
  /** Call index (a shared layer is called more than once). */
  node: number;
  /** Keys (`name:node:tensor`) of the consumed tensors, in call order. */
  inputs: string[];
}

/** A model topology flattened to an input list, an output list and layer calls in dependency order. */
export interface FlatTopology {
  /** Model class (`Functional`, `Model` or `Sequential`). */
  modelClass: string;
  /** Model name. */
  name: string;
  /** The InputLayer entries, in model input order. */
  inputs: KerasLayerJson[];
  /** Keys (`name:node:tensor`) of the model outputs, in order. */
  outputs: string[];
  /** Every non-input layer call, each after the calls it depends on. */
  calls: LayerCall[];
  /** Keras version that wrote the file, when recorded. */
  kerasVersion?: string;
}
