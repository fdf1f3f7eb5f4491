/**
 * Shared by the super-resolution tests: the PyTorch goldens written by
 * tooling/goldens/tasks_sr.py (weights, input and output of each case, plus an index).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@ocular/core';
import { buildSrNet, type SrBuilderName, type SuperResolutionNet } from '../src/sr/index.js';
import { loadGolden } from './fixtures/golden.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** One case of sr_goldens.json. */
export interface SrGoldenCase {
  readonly builder: SrBuilderName;
  readonly options: Record<string, unknown>;
  readonly input_shape: number[];
  readonly output_shape: number[];
  readonly state_dict_keys: string[];
  readonly param_count: number;
  readonly output_range: [number, number];
}

/** The index of the goldens. */
export const SR_GOLDENS = JSON.parse(readFileSync(join(FIXTURES, 'sr_goldens.json'), 'utf8')) as {
  cases: Record<string, SrGoldenCase>;
  full_size: Record<string, { param_count: number; state_dict_len: number }>;
};

/** Weights, input and output of one golden case. */
export function srGolden(name: string): { weights: Map<string, Tensor>; input: Tensor; output: Tensor } {
  const g = loadGolden(`sr_${name}`);
  return { weights: g.weights(), input: g.io('input'), output: g.io('output') };
}

/** The case's network with its golden weights loaded strictly. */
export function loadedSrNet(name: string): SuperResolutionNet {
  const c = SR_GOLDENS.cases[name]!;
  const net = buildSrNet(c.builder, c.options);
  net.loadStateDict(srGolden(name).weights, { strict: true });
  return net;
}
