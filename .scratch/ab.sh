#!/bin/bash
# usage: ab.sh rounds scenarios -> alternates old (/tmp/wt-old) and new (/work/main)
rounds=${1:-3}; sc=${2:-single,batch}
for r in $(seq 1 $rounds); do
  for side in old new; do
    dir=/work/main; [ $side = old ] && dir=/tmp/wt-old
    (cd $dir && BENCH_SCENARIOS=$sc BENCH_MEASURE_MS=6000 npx tsx tests/bench/main.ts > /tmp/ab-$side-$r.log 2>&1)
    echo "$side $r: $(grep -E '^\| (5|6)\.' /tmp/ab-$side-$r.log | awk -F'|' '{print $3}' | tr -s ' ' | tr '\n' ';') $(grep -o 'rest of machine [0-9.]*' /tmp/ab-$side-$r.log | tr '\n' ' ')"
  done
done
