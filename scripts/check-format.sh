#!/usr/bin/env bash
# Fails when a C file of the project is not formatted as .clang-format says (`make format`
# fixes it). Run by CTest as the `format` test.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 2>/dev/null || true)
[ -n "$files" ] || files=$(find src tests bench -name '*.[ch]')
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "format: $(echo "$files" | wc -w) files formatted as .clang-format says"
