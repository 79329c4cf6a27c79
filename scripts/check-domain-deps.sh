#!/usr/bin/env bash
# The domain crate must stay pure: no database, web framework or async runtime in its
# dependency tree (normal dependencies, all features).
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(diesel|diesel-async|diesel_migrations|actix[a-z_-]*|tokio[a-z_-]*|deadpool[a-z_-]*|libsqlite3-sys|tokio-postgres|hyper|sqlx[a-z_-]*) '
tree=$(cargo tree -p claims-domain --edges normal --all-features --prefix none --format '{p}')
if found=$(grep -E "$forbidden" <<<"$tree"); then
  echo "claims-domain depends on infrastructure crates:" >&2
  echo "$found" | sort -u >&2
  exit 1
fi
echo "claims-domain: $(sort -u <<<"$tree" | wc -l) crates in its tree, none of them infrastructure"
