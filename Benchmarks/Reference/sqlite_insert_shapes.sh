#!/bin/sh
# Builds sqlite_insert_shapes.c against the SQLite amalgamation SQLiteNIO vendors (from .build/checkouts, so run
# `swift build` once first), with SQLiteNIO's compile options that matter here, and counts SQLite's instructions
# per record for each statement shape under callgrind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vendored="$root/.build/checkouts/sqlite-nio/Sources/VaporCSQLite"
work=${TMPDIR:-/tmp}/syncline-sqlite-shapes
mkdir -p "$work"
cp "$vendored/sqlite_nio_sqlite3.c" "$work/sqlite3.c"
cp "$vendored/include/sqlite_nio_sqlite3.h" "$work/sqlite3.h"
cp "$here/sqlite_insert_shapes.c" "$work/shapes.c"
gcc -O2 -g -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_DQS=0 -DSQLITE_ENABLE_NULL_TRIM -DSQLITE_MAX_VARIABLE_NUMBER=250000 \
    -DSQLITE_OMIT_DEPRECATED -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_PROGRESS_CALLBACK -DSQLITE_OMIT_SHARED_CACHE \
    -DSQLITE_OMIT_TRACE -DSQLITE_SECURE_DELETE -DSQLITE_THREADSAFE=1 -DSQLITE_UNTESTABLE \
    -o "$work/shapes" "$work/shapes.c" "$work/sqlite3.c" -lpthread -lm
records=20000
for shape in 0 1 2; do
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$shape" \
        --toggle-collect=sqlite_nio_sqlite3_step --toggle-collect=sqlite_nio_sqlite3_prepare_v3 \
        --toggle-collect=sqlite_nio_sqlite3_bind_text --toggle-collect=sqlite_nio_sqlite3_reset \
        --toggle-collect=sqlite_nio_sqlite3_exec --toggle-collect=sqlite_nio_sqlite3_finalize \
        "$work/shapes" "$shape" "$records" "$work/shape$shape.sqlite" 2>"$work/valgrind.$shape"
    collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.$shape")
    echo "shape $shape: $((collected / records)) SQLite instructions per record"
done
