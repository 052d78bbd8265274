#!/usr/bin/env bash
# Builds the libFuzzer target for the HTTP/1.1 parser and the HTTP/2 session, and runs it for a bounded time over Fuzz/corpus/http.
# Usage: Fuzz/run.sh [seconds]   (default 60). New inputs that raise coverage are added to the corpus dir
# under .build-fuzz/ (not the committed seeds); a crash leaves crash-* there and exits non-zero.
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
