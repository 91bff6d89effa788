#!/bin/bash
# samples CPU of postgres processes by title over $1 seconds
snap() { for p in $(pgrep -f "postgres" ); do t=$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-60); s=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); [ -n "$s" ] && echo "$p|$s|$t"; done; }
snap > /tmp/pg0; sleep $1; snap > /tmp/pg1
join -t'|' <(sort /tmp/pg0) <(sort /tmp/pg1) | awk -F'|' '{d=$4-$2; k=$3; sub(/[0-9.]+\(?[0-9]*\)? ?.*idle.*|[0-9.]+\([0-9]+\).*/,"",k); sum[$5]+=d} END {for (k in sum) if (sum[k]>0) printf "%6.2f cores  %s\n", sum[k]/100/'$1', k}' | sort -rn | head -20
