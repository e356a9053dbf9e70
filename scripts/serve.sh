#!/usr/bin/env bash
# Quick start, first command: set up a fresh machine and serve the site locally.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm run dev -- --host 127.0.0.1
