import type { Plugin } from '@ocular/core';
/** Declares latency benchmarks of every registered model of `family` on node and wasm. */
export function defineModelBenchmarks(options: { family: string; plugin: Plugin }): void;
