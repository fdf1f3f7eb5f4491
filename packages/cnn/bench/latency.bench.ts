// Latency of every registered CNN per backend: `pnpm bench` (results in bench/results.json).
import { defineModelBenchmarks } from '@ocular/vitest-config/model-bench';
import { plugin } from '../src/index.js';

defineModelBenchmarks({ family: 'cnn', plugin });
