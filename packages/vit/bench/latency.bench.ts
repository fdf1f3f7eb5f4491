// Latency of every registered vision transformer per backend: `pnpm bench` (results in bench/results.json).
import { defineModelBenchmarks } from '@ocular/vitest-config/model-bench';
import { plugin } from '../src/index.js';

defineModelBenchmarks({ family: 'vit', plugin });
