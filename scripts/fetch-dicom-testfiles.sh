#!/usr/bin/env bash
# Makes pydicom's bundled test DICOM files available to the medical-imaging loader tests
# (tasks/medical-imaging/tests/pydicom_files.rs) without committing them: installs the pinned
# pydicom and NumPy (.ci/requirements.txt) with pip when either is missing from the python3 on
# PATH, and prints the path of CT_small.dcm. In CI (.ci/run puts a fresh virtualenv first):
#   export JIEBANG_PYDICOM_CT="$(scripts/fetch-dicom-testfiles.sh)" JIEBANG_REQUIRE_PYDICOM=1
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import pydicom, numpy" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check -r .ci/requirements.txt >&2
fi
python3 -c "import pydicom.data as d; print(d.get_testdata_file('CT_small.dcm'))"
