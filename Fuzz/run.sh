#!/usr/bin/env bash
# Builds the libFuzzer targets for the HTTP/1.1 parser and the HTTP/2 session, and for the filter parser, and runs
# each for a bounded time over Fuzz/corpus/http and Fuzz/corpus/filter.
# Usage: Fuzz/run.sh [seconds]   (default 60, per target). New inputs that raise coverage are added to the corpus
# dirs under .build-fuzz/ (not the committed seeds); a crash leaves crash-* there and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=.build-fuzz
mkdir -p "$out/corpus"
cp Fuzz/corpus/http/* "$out/corpus/"
# HTTPServer imports Locking and JSON: each built first as a module of its own (one package name, for `package` access).
: > "$out/build.log"
for module in Locking JSON; do
    swiftc -sanitize=address -parse-as-library -O -wmo -package-name recsmith -module-name "$module" \
        -emit-module -emit-module-path "$out/$module.swiftmodule" -c Sources/"$module"/*.swift -o "$out/$module.o" \
        >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
done
swiftc -sanitize=fuzzer,address -parse-as-library -O -package-name recsmith -module-name HTTPServer \
    -I "$out" -I Sources/CLinux -I Sources/COpenSSL -I Sources/CNGHTTP2 -lssl -lcrypto -lnghttp2 \
    Sources/HTTPServer/*.swift Fuzz/HTTPParserFuzzer.swift "$out/Locking.o" "$out/JSON.o" -o "$out/http-parser-fuzzer" >> "$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }
echo "fuzz: HTTP parser for ${seconds}s"
"$out/http-parser-fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -artifact_prefix="$out/" "$out/corpus" > "$out/fuzz.log" 2>&1 || { tail -n 40 "$out/fuzz.log"; exit 1; }
grep -E "^Done" "$out/fuzz.log"

# Filtering imports LinearAlgebra only for BitSet (the rest of it needs OpenBLAS): BitSet.swift alone is built as
# a module of that name, and EventFormats as a module of its own.
mkdir -p "$out/filter-modules" "$out/corpus-filter"
cp Fuzz/corpus/filter/* "$out/corpus-filter/"
swiftc -sanitize=address -parse-as-library -O -wmo -package-name recsmith -module-name LinearAlgebra \
    -emit-module -emit-module-path "$out/filter-modules/LinearAlgebra.swiftmodule" \
    -c Sources/LinearAlgebra/BitSet.swift -o "$out/filter-modules/LinearAlgebra.o" >> "$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }
swiftc -sanitize=address -parse-as-library -O -wmo -package-name recsmith -module-name EventFormats \
    -emit-module -emit-module-path "$out/filter-modules/EventFormats.swiftmodule" \
    -c Sources/EventFormats/*.swift -o "$out/filter-modules/EventFormats.o" >> "$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }
swiftc -sanitize=fuzzer,address -parse-as-library -O -package-name recsmith -module-name Filtering \
    -I "$out/filter-modules" Sources/Filtering/*.swift Fuzz/FilterParserFuzzer.swift \
    "$out/filter-modules/LinearAlgebra.o" "$out/filter-modules/EventFormats.o" -o "$out/filter-parser-fuzzer" \
    >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
echo "fuzz: filter parser for ${seconds}s"
"$out/filter-parser-fuzzer" -max_total_time="$seconds" -max_len=4200 -timeout=5 -dict=Fuzz/filter.dict \
    -artifact_prefix="$out/" "$out/corpus-filter" > "$out/fuzz-filter.log" 2>&1 \
    || { tail -n 40 "$out/fuzz-filter.log"; exit 1; }
grep -E "^Done" "$out/fuzz-filter.log"
