#!/usr/bin/env bash
# bench-scram.sh: compare depgraph's fault-tree engine with SCRAM 0.16.2 on
# the Open-PSA benchmark models in shared/data/openpsa.
#
# For every model it prints our minimal-cut-set count, SCRAM's count, the
# median wall time of each (whole process, RUNS runs) and the ratio ours /
# SCRAM (below 1: depgraph is faster).
#
# Environment:
#   DEPGRAPH  binary called as "$DEPGRAPH domains --openpsa FILE... --count"
#             (default: built from ./cmd/depgraph)
#   DATA      model folder (default: ../shared/data/openpsa from the repo)
#   RUNS      runs per tool and model (default 3)
#   TIMEOUT   seconds before a run is killed (default 60)
#   MODELS    space-separated subset, e.g. "aralia/baobab1 xfta/chinese"
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DATA:-$root/../shared/data/openpsa}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v scram >/dev/null 2>&1; then
	echo "bench-scram: installing scram" >&2
	(apt-get install -y scram >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y scram >/dev/null; }) ||
		{ echo "bench-scram: cannot install scram; SCRAM columns will be empty" >&2; }
fi

# ours FILE... prints the count (our CLI or the development driver).
if [[ -z "${DEPGRAPH:-}" ]]; then
	(cd "$root" && go build -o "$tmp/depgraph" ./cmd/depgraph)
	DEPGRAPH=$tmp/depgraph
fi
ours() {
	"$DEPGRAPH" domains --openpsa "$@" --count | grep -Eo '[0-9]+' | head -1
}
theirs() {
	# SCRAM prints the product count in the report header (<sum-of-products ... products="N">).
	scram "$@" -o "$tmp/report.xml" >/dev/null 2>&1 && grep -o 'products="[0-9]*"' "$tmp/report.xml" | head -1 | grep -Eo '[0-9]+'
}

# timed TOOL FILE...: prints "count median_seconds" over RUNS runs, or "- timeout".
timed() {
	local tool=$1
	shift
	local times=() count=-
	for ((i = 0; i < RUNS; i++)); do
		local start end out
		start=$(date +%s.%N)
		if out=$(timeout "$TIMEOUT" bash -c "$(declare -f ours theirs); DEPGRAPH='${DEPGRAPH:-}' tmp='$tmp' $tool \"\$@\"" _ "$@" 2>/dev/null); then
			end=$(date +%s.%N)
			count=${out:--}
			times+=("$(echo "$end - $start" | bc)")
		else
			echo "- timeout"
			return
		fi
	done
	printf '%s %s\n' "$count" "$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')"
}

if [[ -z "${MODELS:-}" ]]; then
	MODELS=$(cd "$DATA" && ls aralia/*.xml xfta/*.xml small/*.xml | grep -v -- '-basic-events' | sed 's/\.xml$//')
fi

printf '%-22s %14s %14s %9s %9s %7s\n' model ours scram ours_s scram_s ratio
for m in $MODELS; do
	files=("$DATA/$m.xml")
	[[ -f "$DATA/$m-basic-events.xml" ]] && files+=("$DATA/$m-basic-events.xml")
	read -r oc ot < <(timed ours "${files[@]}")
	if command -v scram >/dev/null 2>&1; then
		read -r sc st < <(timed theirs "${files[@]}")
	else
		sc=- st=-
	fi
	ratio=-
	if [[ $ot != timeout && $st != timeout && $st != - ]]; then
		ratio=$(echo "scale=3; $ot / $st" | bc)
	fi
	printf '%-22s %14s %14s %9s %9s %7s\n' "$m" "$oc" "$sc" "$ot" "$st" "$ratio"
done
