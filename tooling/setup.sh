#!/usr/bin/env bash
# One-step set-up for a fresh machine: the right pnpm, the locked dependencies, a build.
# Everything the project needs is installed here, so the README's commands are all a reader runs.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

node_major=$(node -p "process.versions.node.split('.')[0]")
if [ "$node_major" -lt 20 ]; then
  echo "ocular: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "ocular: installing pnpm $PNPM_VERSION"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

# onnxruntime-node's postinstall (which downloads CUDA binaries) is skipped by the
# ignoredBuiltDependencies list in pnpm-workspace.yaml; its CPU binaries are in the package.
pnpm install --frozen-lockfile
pnpm run build
