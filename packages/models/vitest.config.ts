import { ocularVitest } from '@ocular/vitest-config';

export default ocularVitest();
