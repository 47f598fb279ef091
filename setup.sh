#!/usr/bin/env bash
# Set up dossier on a fresh Debian 12 machine and build the sample case into out/.
#   ./setup.sh            system packages, a virtual environment in .venv, the package, then the sample build
#   ./setup.sh --no-build the same without building
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  python3 python3-venv python3-pip   # Python 3.11 on Debian 12
  libpango-1.0-0 libpangoft2-1.0-0   # WeasyPrint's text layout
  libharfbuzz-subset0                # font subsetting: WeasyPrint is about twice as slow without it
  fonts-noto-core                    # Noto Serif/Sans (Latin, Cyrillic) and Noto Naskh Arabic
  poppler-utils qpdf                 # pdftotext, pdffonts, pdfdetach, qpdf --check: used by the tests
  chromium                           # headless check that the HTML report opens without errors
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
# compile the byte-code once, as a regular install would: where PYTHONDONTWRITEBYTECODE is set, every
# command would otherwise recompile every module at start (about a second)
.venv/bin/python -m compileall -q dossier

if [ "${1:-}" != "--no-build" ]; then
  .venv/bin/dossier build   # validates first: the sample's warnings are printed once, then the PDFs rendered
  echo "Built the sample case: see out/internal, out/un and out/public."
fi
