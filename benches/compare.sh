#!/usr/bin/env bash
# Compares the benches of this tree with those of an earlier commit, interleaved so that both see
# the same machine load: REV, this tree, REV, this tree… for every bench target.
#
#   bash benches/compare.sh REV [ROUNDS]     (prints one line per bench and run)
#
# REV is checked out in a git worktree under target/; bench names must match between the two.
set -euo pipefail
rev=${1:?usage: benches/compare.sh REV [ROUNDS]}
rounds=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
there="$here/target/bench-compare-$(git -C "$here" rev-parse --short "$rev")"
[ -d "$there" ] || git -C "$here" worktree add --detach "$there" "$rev" >/dev/null
run() { # tree, label, bench target
  (cd "$1" && cargo bench --all-features --bench "$3" -- --output-format bencher \
    --warm-up-time 1 --measurement-time 3 2>/dev/null) | grep '^test ' | sed "s|^test |$2 |"
}
for target in evaluate optimize time; do
  (cd "$there" && cargo bench --all-features --bench "$target" --no-run -q)
  (cd "$here" && cargo bench --all-features --bench "$target" --no-run -q)
  for r in $(seq "$rounds"); do
    run "$there" "$rev#$r" "$target"
    run "$here" "this#$r" "$target"
  done
done
