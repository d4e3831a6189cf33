#!/usr/bin/env bash
# Fills the fuzz corpora from the repository's plan and problem files and fuzz/seeds/.
#   fuzz/corpus/plan_file/           tests/cases/*.json, tests/cases/fuzz/*.json, fuzz/seeds/plan_file/*.json
#   fuzz/corpus/allocation_problem/  fuzz/seeds/allocation_problem/*.json
#   fuzz/corpus/actuals/             fuzz/seeds/actuals/*.{csv,json} (tables of the target's fixed plan)
#   fuzz/corpus/uncertainty/         tests/cases/*.json, fuzz/seeds/uncertainty/*.json
# plus the minimised findings, fuzz/findings/<target>-*, as regression inputs.
# Existing corpus entries (what earlier runs found) are kept. With SKIP_KNOWN=1 the known
# reproducers in tests/cases/fuzz/ are left out.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob

seed() { # seed TARGET FILES...
  local dir=corpus/$1 n=0
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    cp "$f" "$dir/seed-$(basename "$f")"
    n=$((n + 1))
  done
  echo "seed.sh: $n seeds in fuzz/$dir"
}

known=(../tests/cases/fuzz/*.json)
if [[ "${SKIP_KNOWN:-0}" == 1 ]]; then
  known=()
fi
seed plan_file ../tests/cases/*.json "${known[@]}" seeds/plan_file/*.json findings/plan_file-*
seed allocation_problem seeds/allocation_problem/*.json findings/allocation_problem-*
seed actuals seeds/actuals/* findings/actuals-*
seed uncertainty ../tests/cases/*.json seeds/uncertainty/*.json findings/uncertainty-*
