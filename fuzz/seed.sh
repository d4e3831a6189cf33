#!/usr/bin/env bash
# Fills the fuzz corpora from the repository's plan and problem files and fuzz/seeds/.
#   fuzz/corpus/plan_file/           tests/cases/*.json, tests/cases/fuzz/*.json, examples/plans/*.json
#                                    (the plan files), fuzz/seeds/plan_file/*.json
#   fuzz/corpus/allocation_problem/  examples/plans/allocation-problem*.json, fuzz/seeds/allocation_problem/*.json
#   fuzz/corpus/actuals/             examples/plans/*.csv that are tables of the target's fixed plan
#                                    (modules m0, m1, m2 only), fuzz/seeds/actuals/*.{csv,json}
#   fuzz/corpus/uncertainty/         tests/cases/*.json, examples/plans/*.json (the plan files),
#                                    fuzz/seeds/uncertainty/*.json
#   fuzz/corpus/cli_args/            fuzz/seeds/cli_args/*.txt (argument lines, one a line)
# plus the minimised findings, fuzz/findings/<target>-*, as regression inputs. A file from
# examples/ is named seed-examples-NAME, so it never overwrites a test case of the same name.
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
    local name=seed-$(basename "$f")
    [[ $f == ../examples/* ]] && name=seed-examples-$(basename "$f")
    cp "$f" "$dir/$name"
    n=$((n + 1))
  done
  echo "seed.sh: $n seeds in fuzz/$dir"
}

known=(../tests/cases/fuzz/*.json)
if [[ "${SKIP_KNOWN:-0}" == 1 ]]; then
  known=()
fi

# The example plan files (every examples/plans/*.json but the allocation problems).
plans=()
problems=()
for f in ../examples/plans/*.json; do
  case $(basename "$f") in
    allocation-problem*) problems+=("$f") ;;
    *) plans+=("$f") ;;
  esac
done

# An example actuals table is a seed of the actuals target only if every row names a module of
# the target's fixed plan (m0, m1, m2): the target reads tables against that plan, so a table of
# another plan (examples/plans/b2b-actuals.csv is the B2B case's) stops at its first row with an
# unknown-module error and only repeats what the header seeds already reach.
fixed_plan_tables=()
for f in ../examples/plans/*.csv; do
  if awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "module") col = i; if (!col) exit 1; next }
              $col !~ /^"?m[012]"?$/ { exit 1 }' "$f"; then
    fixed_plan_tables+=("$f")
  else
    echo "seed.sh: skipped $f for actuals (not a table of the target's fixed plan m0, m1, m2)"
  fi
done

seed plan_file ../tests/cases/*.json "${known[@]}" "${plans[@]}" seeds/plan_file/*.json findings/plan_file-*
seed allocation_problem "${problems[@]}" seeds/allocation_problem/*.json findings/allocation_problem-*
seed actuals "${fixed_plan_tables[@]}" seeds/actuals/* findings/actuals-*
seed uncertainty ../tests/cases/*.json "${plans[@]}" seeds/uncertainty/*.json findings/uncertainty-*
seed cli_args seeds/cli_args/*.txt findings/cli_args-*
