import { ocularVitest } from '@ocular/vitest-config';

export default ocularVitest({ benchmark: { include: ['bench/**/*.bench.ts'] } });
