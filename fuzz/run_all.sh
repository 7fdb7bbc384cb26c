#!/bin/bash
# Runs the five fuzz targets for 600 s each, two at a time, under nice -n 19 (README.md).
set -u
cd "$(dirname "$0")"
run() {
  mkdir -p "corpus/$1"
  RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -a "$1" "corpus/$1" "seeds/$1" \
    -- -max_total_time=600 -print_final_stats=1 > "/tmp/fuzz_$1.log" 2>&1
  echo "$1 exit $?"
}
run sanitize & run site & wait
run company_info & run error_body & wait
run profile
