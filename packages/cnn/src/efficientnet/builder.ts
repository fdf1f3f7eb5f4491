/**
 * The block-args builder of the EfficientNet / MobileNet family, with timm's arithmetic: block
 * notation parsing (`ir_r2_k3_s2_e6_c40_se0.25`), channel rounding (`round_channels`), per-stage
 * depth scaling (`_scale_stage_depth`) and Python's half-to-even `round`.
 * @module
 */
import { InvalidArgumentError, makeDivisible } from '@ocular/core';
import type { ArchDef, BlockDef, EfficientNetAct, EfficientNetConfig } from './configs.js';

/** Python 3's `round(x)` for x ≥ 0: nearest integer, ties to even. */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * timm's `round_channels`: `make_divisible(channels · multiplier, divisor, roundLimit)`;
 * a multiplier of 0 leaves the channels as they are.
 */
export function roundChannels(channels: number, multiplier = 1, divisor = 8, roundLimit = 0.9): number {
  if (!multiplier) return channels;
  return makeDivisible(channels * multiplier, divisor, undefined, roundLimit);
}

const ACT_CODES: Readonly<Record<string, EfficientNetAct>> = {
  re: 'relu',
  r6: 'relu6',
  hs: 'hard_swish',
  sw: 'swish',
};

function num(options: Map<string, string>, key: string, text: string): number {
  const v = options.get(key);
  if (v === undefined) throw new InvalidArgumentError(`block '${text}': missing '${key}'`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`block '${text}': '${key}${v}' is not a number`);
  return n;
}

function stride(options: Map<string, string>, text: string): 1 | 2 {
  const s = num(options, 's', text);
  if (s !== 1 && s !== 2) throw new InvalidArgumentError(`block '${text}': stride must be 1 or 2, got ${s}`);
  return s;
}

/**
 * Parses timm's block notation into a typed {@link BlockDef}: a type (`ds`, `dsa`, `ir`, `er`,
 * `cn`) then `_`-separated options: `r` repeats, `k` kernel, `s` stride, `e` expansion, `c`
 * output channels, `se` squeeze-excite ratio, `n` activation (`re`, `r6`, `hs`, `sw`), `fc`
 * forced input channels, and the flags `skip` / `noskip`. Options timm has for other block kinds
 * (CondConv experts, mixed kernels, space-to-depth, group size) are rejected.
 */
export function parseBlockString(text: string): BlockDef {
  const [type, ...ops] = text.split('_');
  const options = new Map<string, string>();
  let skip: boolean | undefined;
  let act: EfficientNetAct | undefined;
  for (const op of ops) {
    if (op === 'noskip') skip = false;
    else if (op === 'skip') skip = true;
    else if (op.startsWith('n')) {
      act = ACT_CODES[op.slice(1)];
      if (!act) throw new InvalidArgumentError(`block '${text}': unknown activation '${op}'`);
    } else {
      const m = /^([a-z]+)(\d.*)$/.exec(op);
      if (!m) throw new InvalidArgumentError(`block '${text}': cannot parse option '${op}'`);
      if (!['r', 'k', 's', 'e', 'c', 'se', 'fc'].includes(m[1]!)) {
        throw new InvalidArgumentError(`block '${text}': option '${m[1]}' is not supported`);
      }
      options.set(m[1]!, m[2]!);
    }
  }
  const base = {
    repeat: num(options, 'r', text),
    stride: stride(options, text),
    out: num(options, 'c', text),
    ...(act ? { act } : {}),
  };
  const seRatio = options.has('se') ? num(options, 'se', text) : 0;
  switch (type) {
    case 'ds':
    case 'dsa':
      return {
        type: 'ds',
        ...base,
        kernel: num(options, 'k', text),
        seRatio,
        pwAct: type === 'dsa',
        noskip: type === 'dsa' || skip === false,
      };
    case 'ir':
      return {
        type: 'ir',
        ...base,
        kernel: num(options, 'k', text),
        exp: num(options, 'e', text),
        seRatio,
        noskip: skip === false,
      };
    case 'er':
      return {
        type: 'er',
        ...base,
        kernel: num(options, 'k', text),
        exp: num(options, 'e', text),
        seRatio,
        noskip: skip === false,
        forceInChs: options.has('fc') ? num(options, 'fc', text) : 0,
      };
    case 'cn':
      return { type: 'cn', ...base, kernel: num(options, 'k', text), skip: skip === true };
    default:
      throw new InvalidArgumentError(`block '${text}': unknown block type '${type}'`);
  }
}

/**
 * timm's `_scale_stage_depth`: scales a stage's total repeats (`ceil` or `round`), then shares
 * them out over its definitions from the last one back, each keeping at least one block.
 * Returns the expanded block list.
 */
export function scaleStageDepth(
  defs: readonly BlockDef[],
  multiplier: number,
  trunc: 'ceil' | 'round' = 'ceil',
): BlockDef[] {
  let remaining = defs.reduce((n, d) => n + d.repeat, 0);
  let scaled =
    trunc === 'round' ? Math.max(1, pyRound(remaining * multiplier)) : Math.ceil(remaining * multiplier);
  const repeats: number[] = [];
  for (let i = defs.length - 1; i >= 0; i--) {
    const r = defs[i]!.repeat;
    const rs = Math.max(1, pyRound((r / remaining) * scaled));
    repeats.unshift(rs);
    remaining -= r;
    scaled -= rs;
  }
  return defs.flatMap((d, i) => Array.from({ length: repeats[i]! }, () => d));
}

/** Options of {@link decodeArch}. */
export interface DecodeOptions {
  readonly depthMultiplier?: number;
  readonly depthTrunc?: 'ceil' | 'round';
  /** Keep the first and last stages unscaled. */
  readonly fixFirstLast?: boolean;
}

/** timm's `decode_arch_def`: stages of parsed definitions, each expanded to its scaled repeats. */
export function decodeArch(arch: ArchDef, options: DecodeOptions = {}): BlockDef[][] {
  return arch.map((stage, i) => {
    const defs = stage.map((d) => (typeof d === 'string' ? parseBlockString(d) : d));
    const fixed = options.fixFirstLast && (i === 0 || i === arch.length - 1);
    return scaleStageDepth(defs, fixed ? 1 : (options.depthMultiplier ?? 1), options.depthTrunc);
  });
}

/** A block with every argument resolved: channels, stride, activation and SE size. */
export interface ResolvedBlock {
  readonly def: BlockDef;
  readonly inChs: number;
  readonly outChs: number;
  readonly stride: 1 | 2;
  readonly act: EfficientNetAct;
  /** Reduced SE channels (0 = no SE). */
  readonly seChs: number;
  /** `er` blocks: forced expansion input channels (0 = the block input). */
  readonly forceInChs: number;
}

/** A feature map of the plan: module path, channels, stride, and the stage producing it (0 = stem). */
export interface PlannedFeature {
  readonly module: string;
  readonly numChs: number;
  readonly reduction: number;
  readonly stage: number;
}

/** The resolved network: stem width, blocks per stage, feature maps, channels into the head. */
export interface EfficientNetPlan {
  readonly stemChs: number;
  readonly stages: readonly (readonly ResolvedBlock[])[];
  readonly features: readonly PlannedFeature[];
  readonly headInChs: number;
}

/**
 * timm's `EfficientNetBuilder` arithmetic without building modules: widths through
 * `round_channels` (multiplier, divisor, round limit), depths through {@link decodeArch}, stride
 * only on a stage's first block, SE channels from the block input (`se_ratio / exp_ratio`, Python
 * `round`) or, with `seFromExp`, from the expanded width (`make_divisible`), and a feature map at
 * the end of every stage followed by a strided one (plus the stem when the first block strides).
 */
export function planNetwork(config: EfficientNetConfig): EfficientNetPlan {
  const roundChs = (c: number) =>
    roundChannels(c, config.channelMultiplier ?? 1, config.channelDivisor ?? 8, config.roundLimit ?? 0.9);
  const stages = decodeArch(config.arch, {
    depthMultiplier: config.depthMultiplier,
    depthTrunc: config.depthTrunc,
    fixFirstLast: config.fixFirstLast,
  });
  const stemChs = config.fixStem ? config.stemSize : roundChs(config.stemSize);
  const features: PlannedFeature[] = [];
  if (stages[0]![0]!.stride > 1) features.push({ module: 'bn1', numChs: stemChs, reduction: 2, stage: 0 });
  let inChs = stemChs;
  let reduction = 2;
  const resolved = stages.map((defs, s) =>
    defs.map((def, b) => {
      const stride = b === 0 ? def.stride : 1;
      reduction *= stride;
      const outChs = roundChs(def.out);
      const forceInChs = def.type === 'er' && def.forceInChs ? roundChs(def.forceInChs) : 0;
      let seChs = 0;
      if (def.type !== 'cn' && def.seRatio) {
        // The SE sits on the block input (ds) or the expanded width (ir, er).
        const exp = def.type === 'ds' ? 1 : def.exp;
        const seIn = def.type === 'ds' ? inChs : makeDivisible((forceInChs || inChs) * exp);
        const ratio = config.seFromExp ? def.seRatio : def.seRatio / exp;
        seChs = config.seRound === 'divisible' ? makeDivisible(seIn * ratio) : pyRound(seIn * ratio);
      }
      const block: ResolvedBlock = {
        def,
        inChs,
        outChs,
        stride,
        act: def.act ?? config.act,
        seChs,
        forceInChs,
      };
      inChs = outChs;
      const last = b === defs.length - 1;
      if (last && (s === stages.length - 1 || stages[s + 1]![0]!.stride > 1)) {
        features.push({ module: `blocks.${s}`, numChs: outChs, reduction, stage: s + 1 });
      }
      return block;
    }),
  );
  return { stemChs, stages: resolved, features, headInChs: inChs };
}
