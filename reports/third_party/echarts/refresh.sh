#!/usr/bin/env bash
# refresh.sh VERSION — replace the vendored ECharts with the npm package echarts@VERSION.
#
# Fetches the package tarball from the npm registry with `npm pack` (no other
# source), copies dist/echarts.min.js, LICENSE and NOTICE unmodified into this
# directory and prints the SHA-256 of echarts.min.js. Afterwards update Version
# and SHA256 in echarts.go and the table in README.md, then run
#   go test ./reports/third_party/echarts/
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 VERSION   (e.g. $0 5.6.0)" >&2
	exit 2
fi
version=$1
dest=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "echarts@${version}" >/dev/null)
tar -xzf "$tmp/echarts-${version}.tgz" -C "$tmp"
for f in dist/echarts.min.js LICENSE NOTICE; do
	cp "$tmp/package/$f" "$dest/$(basename "$f")"
done
echo "echarts ${version}"
sha256sum "$dest/echarts.min.js"
