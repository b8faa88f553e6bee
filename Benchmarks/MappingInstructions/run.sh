#!/bin/sh
# Instructions per mapped record, counted by callgrind: a figure this machine's neighbours cannot move, unlike
# the mapping benchmark's records per second. callgrind cannot run syncline-bench (it crashes in the concurrency
# runtime's start-up), so this builds SynclineCore alone with the benchmark's mappings and records
# (MappingBenchData.swift) and a plain main.swift, in a package made in a temporary directory.
#
#   Benchmarks/MappingInstructions/run.sh [standard|trivial] [records] [distinct]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pipeline=${1:-standard}
records=${2:-20000}
distinct=${3:-1000}
work=${MAPPING_INSTRUCTIONS_DIR:-${TMPDIR:-/tmp}/syncline-mapping-instructions}
mkdir -p "$work/Sources/bench"
ln -sfn "$root/Sources/SynclineCore" "$work/Sources/SynclineCore"
ln -sfn "$here/main.swift" "$work/Sources/bench/main.swift"
ln -sfn "$root/Benchmarks/SynclineBenchmarks/MappingBenchData.swift" "$work/Sources/bench/MappingBenchData.swift"
cat > "$work/Package.swift" <<'PACKAGE'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "mapping-instructions",
    targets: [
        .target(name: "SynclineCore"),
        .executableTarget(name: "bench", dependencies: ["SynclineCore"]),
    ]
)
PACKAGE
(cd "$work" && swift build -c release >&2)
apply='$s12SynclineCore15CompiledMappingV5apply_7contextAA12MappedRecordVAA9JSONValueO_AA16TransformContextVtF'
out="$work/callgrind.out"
valgrind --tool=callgrind --toggle-collect="$apply" --callgrind-out-file="$out" \
    "$work/.build/release/bench" "$pipeline" "$records" "$distinct" 2>"$work/valgrind.log"
collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.log")
if [ -z "$collected" ]; then
    cat "$work/valgrind.log" >&2
    exit 1
fi
echo "mapping $pipeline: $((collected / records)) instructions per record in CompiledMapping.apply ($collected for $records records, $distinct distinct)"
