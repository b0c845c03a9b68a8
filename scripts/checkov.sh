#!/usr/bin/env bash
# checkov on infra/template.yaml, from a tool venv of its own (.venv-tools): its dependency tree
# pins versions of boto3, pydantic and others that the project's dev extras cannot share.
# Installs the pinned checkov on first use (needs PyPI); exits non-zero on any failed check
# that the template does not skip with a reason (checkov:skip=<id>:<reason> in Metadata).
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOV_VERSION=3.3.30
VENV=.venv-tools
PYTHON=${PYTHON:-python3}
if [ "$("$VENV/bin/checkov" --version 2>/dev/null)" != "$CHECKOV_VERSION" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
fi
exec "$VENV/bin/checkov" --quiet --compact --skip-download --framework cloudformation \
  --file infra/template.yaml "$@"
