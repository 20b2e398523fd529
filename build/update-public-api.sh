#!/usr/bin/env bash
# Rewrites the public API baselines of both packages (src/*/PublicAPI.Unshipped.txt) from the code as it stands.
#
# The build fails (RS0016, RS0017) when a package's public surface differs from its baseline. After an intended
# change of the public API, and after merging branches that changed it, run this script, review the diff of the
# PublicAPI files, and commit them with the change.
#
# PublicAPI.Shipped.txt lists the surface of released versions and is left alone here: when a version is released,
# move the lines of PublicAPI.Unshipped.txt into it.
set -euo pipefail
cd "$(dirname "$0")/.."

projects=(
  src/AdaBelief.Optimization/AdaBelief.Optimization.csproj
  src/MLNet.AdaBelief/MLNet.AdaBelief.csproj
)

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
done

for project in "${projects[@]}"; do
  echo "== $project"
  # RS0016 adds every public symbol missing from the baseline; RS0017 drops baseline lines for removed symbols.
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn
  dir=$(dirname "$project")
  echo "   $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) public symbols in $dir/PublicAPI.Unshipped.txt"
done

git status --short -- 'src/*/PublicAPI.*.txt'
