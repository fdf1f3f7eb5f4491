/**
 * Expected outputs of CrossViT's cross attention on a tiny input, computed independently with
 * numpy (float64) from timm's formulas; inputs and weights are `sin(0.37·i + seed) / 2`.
 */
/** CrossAttention, B=2 N=5 C=8 H=2, flattened `[B, 1, C]`. */
export const CROSS_ATTN_EXPECTED = [
  -0.0357618, -1.0940595, 0.2799868, -1.1723834, 0.7349963, -0.9654588, 1.1650226, -0.6326676, 0.2058334,
  -1.3154026, 0.4737988, -1.3322909, 0.8557406, -1.0430691, 1.1969467, -0.6178557,
];
/** CrossAttentionBlock (LayerNorm eps 1e-6 first, class-token residual), flattened `[B, 1, C]`. */
export const CROSS_BLOCK_EXPECTED = [
  0.4594609, -0.6758256, 0.8394408, -0.8026033, 1.0921972, -0.8608238, 1.1527674, -0.8632607, 0.0921495,
  -1.474634, 0.0466609, -1.7492521, 0.3159995, -1.4802584, 0.8113184, -0.8353083,
];
