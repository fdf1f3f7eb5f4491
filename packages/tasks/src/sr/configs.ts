/**
 * Named super-resolution configurations as data: which builder and which options, with the
 * parameter count the PyTorch reference builds (tooling/goldens/tasks_sr.py, `full_size`) where
 * known. `test_*` entries are tiny widths for tests and demos, not published models.
 * @module
 */

/** The builders a configuration can name. */
export type SrBuilderName = 'espcn' | 'fsrcnn' | 'imdn' | 'imdnRtc' | 'rrdbNet';

/** One named configuration. */
export interface SrVariantConfig {
  readonly builder: SrBuilderName;
  /** Options passed to the builder (serialisable). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Parameter count of the configuration. */
  readonly paramCount: number;
  readonly paper: string;
  /** Where the state-dict key names come from. */
  readonly keysFrom: string;
}

const ESPCN_PAPER = 'https://arxiv.org/abs/1609.05158';
const FSRCNN_PAPER = 'https://arxiv.org/abs/1608.00367';
const IMDN_PAPER = 'https://arxiv.org/abs/1909.11856';
const ESRGAN_PAPER = 'https://arxiv.org/abs/1809.00219';
const REAL_ESRGAN_PAPER = 'https://arxiv.org/abs/2107.10833';
const ESPCN_KEYS = 'yjn870/ESPCN-pytorch models.py (num_channels=3)';
const FSRCNN_KEYS = 'yjn870/FSRCNN-pytorch models.py (num_channels=3)';
const IMDN_KEYS = 'Zheng222/IMDN model/architecture.py';
const RRDB_KEYS = 'XPixelGroup/BasicSR basicsr/archs/rrdbnet_arch.py';

function espcn(scale: number, paramCount: number): SrVariantConfig {
  return { builder: 'espcn', options: { scale }, paramCount, paper: ESPCN_PAPER, keysFrom: ESPCN_KEYS };
}
function fsrcnn(scale: number): SrVariantConfig {
  return {
    builder: 'fsrcnn',
    options: { scale },
    paramCount: 24683,
    paper: FSRCNN_PAPER,
    keysFrom: FSRCNN_KEYS,
  };
}
function imdn(scale: number, paramCount: number): SrVariantConfig {
  return { builder: 'imdn', options: { scale }, paramCount, paper: IMDN_PAPER, keysFrom: IMDN_KEYS };
}

/** The named configurations, by name. */
export const SR_VARIANTS: Readonly<Record<string, SrVariantConfig>> = {
  espcn_x2: espcn(2, 26796),
  espcn_x3: espcn(3, 31131),
  espcn_x4: espcn(4, 37200),
  fsrcnn_x2: fsrcnn(2),
  fsrcnn_x3: fsrcnn(3),
  fsrcnn_x4: fsrcnn(4),
  imdn_x2: imdn(2, 694404),
  imdn_x3: imdn(3, 703059),
  imdn_x4: imdn(4, 715176),
  imdn_rtc_x2: {
    builder: 'imdnRtc',
    options: { scale: 2 },
    paramCount: 20190,
    paper: IMDN_PAPER,
    keysFrom: `${IMDN_KEYS} (IMDN_RTC)`,
  },
  imdn_rtc_x3: {
    builder: 'imdnRtc',
    options: { scale: 3 },
    paramCount: 21825,
    paper: IMDN_PAPER,
    keysFrom: `${IMDN_KEYS} (IMDN_RTC)`,
  },
  imdn_rtc_x4: {
    builder: 'imdnRtc',
    options: { scale: 4 },
    paramCount: 24114,
    paper: IMDN_PAPER,
    keysFrom: `${IMDN_KEYS} (IMDN_RTC)`,
  },
  esrgan_x4: {
    builder: 'rrdbNet',
    options: { scale: 4, numFeat: 64, numBlock: 23, numGrowCh: 32 },
    paramCount: 16697987,
    paper: ESRGAN_PAPER,
    keysFrom: RRDB_KEYS,
  },
  realesrgan_x4plus: {
    builder: 'rrdbNet',
    options: { scale: 4, numFeat: 64, numBlock: 23, numGrowCh: 32 },
    paramCount: 16697987,
    paper: REAL_ESRGAN_PAPER,
    keysFrom: RRDB_KEYS,
  },
  realesrgan_x2plus: {
    builder: 'rrdbNet',
    options: { scale: 2, numFeat: 64, numBlock: 23, numGrowCh: 32 },
    paramCount: 16703171,
    paper: REAL_ESRGAN_PAPER,
    keysFrom: RRDB_KEYS,
  },
  test_espcn: {
    builder: 'espcn',
    options: { scale: 2, features: [8, 4] },
    paramCount: 1344,
    paper: ESPCN_PAPER,
    keysFrom: ESPCN_KEYS,
  },
  test_fsrcnn: {
    builder: 'fsrcnn',
    options: { scale: 3, d: 8, s: 4, m: 2 },
    paramCount: 2955,
    paper: FSRCNN_PAPER,
    keysFrom: FSRCNN_KEYS,
  },
  test_imdn: {
    builder: 'imdn',
    options: { scale: 4, features: 16, numModules: 2 },
    paramCount: 23386,
    paper: IMDN_PAPER,
    keysFrom: IMDN_KEYS,
  },
  test_rrdbnet: {
    builder: 'rrdbNet',
    options: { scale: 4, numFeat: 8, numBlock: 2, numGrowCh: 4 },
    paramCount: 25387,
    paper: ESRGAN_PAPER,
    keysFrom: RRDB_KEYS,
  },
};
