/**
 * Flattens a Keras model config (Functional/Model or Sequential, Keras 2 or 3 inbound-node
 * formats) into layer calls in dependency order.
 * @module
 */
import { ImportError } from '../errors.js';
import type { FlatTopology, KerasInboundRef, KerasLayerJson, LayerCall } from './types.js';

/** The key naming output `tensor` of call `node` of layer `name`. */
export function tensorKey(name: string, node: number, tensor: number): string {
  return `${name}:${node}:${tensor}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Unwraps `modelTopology` to the `{class_name, config}` of the model. */
function modelConfig(topology: unknown): { className: string; config: unknown; kerasVersion?: string } {
  if (!isObject(topology)) throw new ImportError('modelTopology must be an object');
  const kerasVersion = typeof topology.keras_version === 'string' ? topology.keras_version : undefined;
  const inner = isObject(topology.model_config) ? topology.model_config : topology;
  if (typeof inner.class_name !== 'string') {
    throw new ImportError('modelTopology has no model class_name (is this a GraphModel?)', {
      details: { keys: Object.keys(inner) },
    });
  }
  return { className: inner.class_name, config: inner.config, kerasVersion };
}

/** Reads one inbound ref as `[name, node, tensor]`. */
function readRef(ref: KerasInboundRef, layer: string): [string, number, number] {
  const hist = Array.isArray(ref)
    ? ref
    : (ref as { config?: { keras_history?: readonly unknown[] } }).config?.keras_history;
  if (!Array.isArray(hist) || typeof hist[0] !== 'string') {
    throw new ImportError(`layer '${layer}' has a malformed inbound node entry`, { details: { layer, ref } });
  }
  return [hist[0], Number(hist[1] ?? 0), Number(hist[2] ?? 0)];
}

/** Collects the Keras 3 `__keras_tensor__` refs of a call's args in order. */
function collectKeras3Refs(v: unknown, out: KerasInboundRef[]): void {
  if (Array.isArray(v)) for (const x of v) collectKeras3Refs(x, out);
  else if (isObject(v)) {
    if (v.class_name === '__keras_tensor__') out.push(v as KerasInboundRef);
    else if (v.config === undefined) for (const x of Object.values(v)) collectKeras3Refs(x, out);
  }
}

/** Each call node's inbound refs as `[name, node, tensor]` lists. */
function inboundNodes(layer: KerasLayerJson, name: string): [string, number, number][][] {
  const nodes = layer.inbound_nodes ?? [];
  if (!Array.isArray(nodes))
    throw new ImportError(`layer '${name}' has malformed inbound_nodes`, { details: { layer: name } });
  return nodes.map((n) => {
    if (Array.isArray(n)) return n.map((r) => readRef(r as KerasInboundRef, name));
    if (isObject(n)) {
      const refs: KerasInboundRef[] = [];
      collectKeras3Refs(n.args, refs);
      return refs.map((r) => readRef(r, name));
    }
    throw new ImportError(`layer '${name}' has a malformed inbound node`, { details: { layer: name } });
  });
}

/** Reads a model output/input list (`[[name, node, tensor], ...]`, or one triple). */
function readIoList(v: unknown, what: string): [string, number, number][] {
  if (!Array.isArray(v)) throw new ImportError(`model config has no ${what} list`);
  const list = v.length > 0 && typeof v[0] === 'string' ? [v] : v;
  return list.map((r) => readRef(r as KerasInboundRef, what));
}

/** Layer name of an entry. */
function layerName(l: KerasLayerJson): string {
  const name = l.name ?? l.config?.name;
  if (typeof name !== 'string') throw new ImportError(`a ${l.class_name} layer has no name`);
  return name;
}

function checkLayer(l: unknown, i: number): KerasLayerJson {
  if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) {
    throw new ImportError(`layer #${i} needs 'class_name' and a 'config' object`, { details: { index: i } });
  }
  return l as unknown as KerasLayerJson;
}

/** Flattens a Functional/Model config. */
function functional(className: string, config: Record<string, unknown>, kerasVersion?: string): FlatTopology {
  if (!Array.isArray(config.layers)) throw new ImportError(`${className} config has no 'layers' list`);
  const layers = config.layers.map(checkLayer);
  const byName = new Map<string, KerasLayerJson>();
  for (const l of layers) {
    const n = layerName(l);
    if (byName.has(n)) throw new ImportError(`layer name '${n}' is used twice`, { details: { layer: n } });
    byName.set(n, l);
  }
  const inputRefs = readIoList(config.input_layers, 'input_layers');
  const inputs = inputRefs.map(([n]) => {
    const l = byName.get(n);
    if (!l)
      throw new ImportError(`model input '${n}' is not a layer of the model`, { details: { layer: n } });
    return l;
  });
  const outputs = readIoList(config.output_layers, 'output_layers').map(([n, a, b]) => {
    if (!byName.has(n))
      throw new ImportError(`model output '${n}' is not a layer of the model`, { details: { layer: n } });
    return tensorKey(n, a, b);
  });
  // Calls in dependency order: Keras lists layers topologically, but a shared layer's later
  // calls may depend on layers listed after it, so resolve until nothing is pending.
  const pending: LayerCall[] = [];
  const produced = new Set<string>();
  for (const l of layers) {
    const name = layerName(l);
    if (l.class_name === 'InputLayer') {
      produced.add(tensorKey(name, 0, 0));
      continue;
    }
    inboundNodes(l, name).forEach((refs, node) => {
      for (const [n] of refs) {
        if (!byName.has(n)) {
          throw new ImportError(`layer '${name}' consumes '${n}', which is not a layer of the model`, {
            details: { layer: name, missing: n },
          });
        }
      }
      pending.push({ layer: l, name, node, inputs: refs.map(([n, a, b]) => tensorKey(n, a, b)) });
    });
  }
  const calls: LayerCall[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((c) => c.inputs.every((k) => produced.has(k)));
    if (ready < 0) {
      throw new ImportError(
        `layers ${pending.map((c) => `'${c.name}'`).join(', ')} have inputs nothing produces`,
        {
          details: { layers: pending.map((c) => c.name) },
        },
      );
    }
    const [call] = pending.splice(ready, 1);
    calls.push(call!);
    // Output tensor indices beyond 0 are registered when the layer runs; index 0 suffices here
    // for ordering because every converted layer yields at least one output.
    produced.add(tensorKey(call!.name, call!.node, 0));
    for (let t = 1; t < 8; t++) produced.add(tensorKey(call!.name, call!.node, t));
  }
  return {
    modelClass: className,
    name: String(config.name ?? 'model'),
    inputs,
    outputs,
    calls,
    kerasVersion,
  };
}

/** Flattens a Sequential config into a chain, synthesising the InputLayer from the first layer. */
function sequential(config: unknown, kerasVersion?: string): FlatTopology {
  const cfg = isObject(config) ? config : { layers: config };
  if (!Array.isArray(cfg.layers)) throw new ImportError("Sequential config has no 'layers' list");
  const layers = cfg.layers.map(checkLayer);
  if (layers.length === 0) throw new ImportError('Sequential model has no layers');
  let input: KerasLayerJson;
  let body = layers;
  if (layers[0]!.class_name === 'InputLayer') {
    input = layers[0]!;
    body = layers.slice(1);
  } else {
    const first = layers[0]!.config;
    const shape = first.batch_input_shape ?? first.batch_shape;
    if (!Array.isArray(shape)) {
      throw new ImportError(
        `Sequential model's first layer '${layerName(layers[0]!)}' declares no batch_input_shape`,
      );
    }
    input = {
      class_name: 'InputLayer',
      config: {
        name: `${layerName(layers[0]!)}_input`,
        batch_input_shape: shape,
        dtype: first.dtype ?? 'float32',
      },
    };
  }
  let prev = tensorKey(layerName(input), 0, 0);
  const calls: LayerCall[] = body.map((l) => {
    const name = layerName(l);
    const call = { layer: l, name, node: 0, inputs: [prev] };
    prev = tensorKey(name, 0, 0);
    return call;
  });
  return {
    modelClass: 'Sequential',
    name: String(cfg.name ?? 'sequential'),
    inputs: [input],
    outputs: [prev],
    calls,
    kerasVersion,
  };
}

/**
 * Flattens a LayersModel `modelTopology` into inputs, outputs and layer calls in dependency order.
 * @throws ImportError when the topology is not a Keras model config or references unknown layers
 */
export function flattenTopology(topology: unknown): FlatTopology {
  const { className, config, kerasVersion } = modelConfig(topology);
  if (className === 'Sequential') return sequential(config, kerasVersion);
  if (className === 'Functional' || className === 'Model') {
    if (!isObject(config)) throw new ImportError(`${className} model has no config object`);
    return functional(className, config, kerasVersion);
  }
  throw new ImportError(`model class '${className}' is not a Keras Functional, Model or Sequential model`, {
    details: { modelClass: className },
  });
}
