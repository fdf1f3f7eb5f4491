import { InvalidArgumentError } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  decodeArch,
  EFFICIENTNET_CONFIGS,
  parseBlockString,
  planNetwork,
  pyRound,
  roundChannels,
  scaleStageDepth,
} from '../src/index.js';

describe('the block-args builder', () => {
  it("parses timm's block notation into typed definitions", () => {
    expect(parseBlockString('ir_r2_k3_s2_e6_c40_se0.25')).toEqual({
      type: 'ir',
      repeat: 2,
      kernel: 3,
      stride: 2,
      exp: 6,
      out: 40,
      seRatio: 0.25,
      noskip: false,
    });
    expect(parseBlockString('dsa_r6_k3_s2_c512')).toEqual({
      type: 'ds',
      repeat: 6,
      kernel: 3,
      stride: 2,
      out: 512,
      seRatio: 0,
      pwAct: true,
      noskip: true,
    });
    expect(parseBlockString('ds_r1_k3_s2_e1_c16_se0.25_nre')).toMatchObject({
      type: 'ds',
      act: 'relu',
      noskip: false,
    });
    expect(parseBlockString('ir_r1_k3_s1_e3.67_c24_nhs')).toMatchObject({ exp: 3.67, act: 'hard_swish' });
    expect(parseBlockString('er_r1_k3_s1_e4_c24_fc24_noskip')).toMatchObject({
      type: 'er',
      forceInChs: 24,
      noskip: true,
    });
    expect(parseBlockString('cn_r1_k3_s1_e1_c16_skip')).toEqual({
      type: 'cn',
      repeat: 1,
      kernel: 3,
      stride: 1,
      out: 16,
      skip: true,
    });
  });

  it('rejects what it cannot build', () => {
    expect(() => parseBlockString('uir_r1_k3_s1_e4_c32')).toThrow(InvalidArgumentError);
    expect(() => parseBlockString('ir_r1_k3_s3_e4_c32')).toThrow(/stride/);
    expect(() => parseBlockString('ir_r1_k3_s1_e4_c32_cc4')).toThrow(/'cc' is not supported/);
    expect(() => parseBlockString('ir_r1_s1_e4_c32')).toThrow(/missing 'k'/);
    expect(() => parseBlockString('ir_r1_k3_s1_e4_c32_nxx')).toThrow(/unknown activation/);
  });

  it("rounds as Python's round (ties to even) and timm's round_channels", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001].map(pyRound)).toEqual([0, 2, 2, 4, 2, 3]);
    // 32·1.1 = 35.2 → 32; 1280·1.4 = 1792; 16·0.5 = 8; 24·1.2 = 28.8 → 32 (28.8+4 → 32).
    expect(roundChannels(32, 1.1)).toBe(32);
    expect(roundChannels(1280, 1.4)).toBe(1792);
    expect(roundChannels(16, 0.5)).toBe(8);
    expect(roundChannels(24, 1.2)).toBe(32);
    // 40·1.1 = 44 → 48 (ties go up: trunc(44 + 4) / 8 = 6); 20·0.75 = 15 → 16; 18 → 16 is below
    // 0.9·18, so it bumps one step to 24.
    expect(roundChannels(40, 1.1)).toBe(48);
    expect(roundChannels(20, 0.75)).toBe(16);
    expect(roundChannels(18)).toBe(24);
    // round_limit 0 (timm's test models) never bumps; multiplier 0 keeps the value.
    expect(roundChannels(12, 1, 8, 0)).toBe(16);
    expect(roundChannels(13, 0)).toBe(13);
  });

  it('scales stage depths as EfficientNet B1–B3 (ceil) and shares repeats from the last definition', () => {
    const depths = (m: number) =>
      decodeArch(EFFICIENTNET_CONFIGS.efficientnet_b0.arch, { depthMultiplier: m }).map((s) => s.length);
    expect(depths(1.0)).toEqual([1, 2, 2, 3, 3, 4, 1]);
    // ceil(1.1·[1,2,2,3,3,4,1]) etc., by hand.
    expect(depths(1.1)).toEqual([2, 3, 3, 4, 4, 5, 2]);
    expect(depths(1.2)).toEqual([2, 3, 3, 4, 4, 5, 2]);
    expect(depths(1.4)).toEqual([2, 3, 3, 5, 5, 6, 2]);
    // Lite keeps the first and last stages.
    expect(
      decodeArch(EFFICIENTNET_CONFIGS.efficientnet_lite0.arch, {
        depthMultiplier: 1.4,
        fixFirstLast: true,
      }).map((s) => s.length),
    ).toEqual([1, 3, 3, 5, 5, 6, 1]);
    // [1, 1, 2] repeats at ×1.5: 6 blocks, the last definition gets round(2/4·6) = 3, then
    // round(1/2·3) = 2 (ties to even), then 1.
    const defs = ['ir_r1_k3_s2_e6_c80', 'ir_r1_k3_s1_e2.5_c80', 'ir_r2_k3_s1_e2.3_c80'].map(parseBlockString);
    expect(scaleStageDepth(defs, 1.5).map((d) => (d.type === 'ir' ? d.exp : 0))).toEqual([
      6, 2.5, 2.5, 2.3, 2.3, 2.3,
    ]);
    expect(scaleStageDepth(defs, 0.5, 'round').length).toBe(3);
  });

  it('plans SE widths from the block input (EfficientNet) or the expanded width (MobileNetV3)', () => {
    const b0 = planNetwork(EFFICIENTNET_CONFIGS.efficientnet_b0);
    // ds on 32 channels: round(32·0.25) = 8; ir 16→24, e6: mid 96, round(96·0.25/6) = 4.
    expect(b0.stages[0]![0]!.seChs).toBe(8);
    expect(b0.stages[1]![0]!.seChs).toBe(4);
    const large = planNetwork(EFFICIENTNET_CONFIGS.mobilenetv3_large_100);
    // ir 24→40, e3: mid 72, make_divisible(72·0.25 = 18) = 24 (16 is below 0.9·18).
    expect(large.stages[2]![0]!.seChs).toBe(24);
    expect(large.stages[2]![0]!.inChs).toBe(24);
    expect(large.features.map((f) => f.module)).toEqual([
      'blocks.0',
      'blocks.1',
      'blocks.2',
      'blocks.4',
      'blocks.6',
    ]);
    const small = planNetwork(EFFICIENTNET_CONFIGS.mobilenetv3_small_050);
    // The first block strides, so the stem is the first feature map; the stem width stays 16.
    expect(small.features[0]).toEqual({ module: 'bn1', numChs: 16, reduction: 2, stage: 0 });
    expect(small.stages[0]![0]!.seChs).toBe(8);
  });
});
