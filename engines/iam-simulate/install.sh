#!/bin/sh
# Fetch the pinned @cloud-copilot/iam-simulate (AGPL-3.0-or-later) and its dependencies from
# npm into engines/iam-simulate/node_modules/ (ignored by git). package.json pins the version;
# package-lock.json pins every dependency and its integrity hash; `npm ci` installs exactly
# that, or fails.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
node -e 'import("@cloud-copilot/iam-simulate").then(() => console.log("iam-simulate installed"))'
