#!/usr/bin/env bash
# Lints openapi/openapi.json with Redocly CLI and the rules of redocly.yaml (`recommended`); fails
# on any error or warning. Installs the pinned CLI into .ci/node on first use (needs Node.js
# >= 20.19 and npm).
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.77.0
prefix=.ci/node
redocly=$prefix/node_modules/.bin/redocly
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

if [ ! -x "$redocly" ] || [ "$("$redocly" --version 2> /dev/null | head -n 1)" != "$version" ]; then
  npm install --prefix "$prefix" --save-exact --no-audit --no-fund "@redocly/cli@$version"
fi

# Redocly exits non-zero on errors only; a warning shows in the summary (on stderr) and as a
# `LINE:COLUMN  warning  RULE` line (on stdout), so either fails this script too.
status=0
output=$("$redocly" lint --config redocly.yaml --format=stylish --max-problems=1000 openapi/openapi.json 2>&1) \
  || status=$?
printf '%s\n' "$output"
if [ "$status" != 0 ]; then
  echo "redocly-lint: errors (redocly exited with $status)" >&2
  exit 1
fi
if grep -Eq '\b[1-9][0-9]* warnings?\b|^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+warning[[:space:]]' <<< "$output"; then
  echo "redocly-lint: warnings (fix the document, or turn the rule off in redocly.yaml with a reason)" >&2
  exit 1
fi
echo "redocly-lint: no errors, no warnings" >&2
