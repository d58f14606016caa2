#!/usr/bin/env bash
# Makes pydicom's bundled test DICOM files available to the medical-imaging loader tests
# (tasks/medical-imaging/tests/pydicom_files.rs) without committing them: installs pydicom
# with pip when it is missing and prints the path of CT_small.dcm. In CI:
#   export JIEBANG_PYDICOM_CT="$(scripts/fetch-dicom-testfiles.sh)" JIEBANG_REQUIRE_PYDICOM=1
set -euo pipefail
if ! python3 -c "import pydicom" 2>/dev/null; then
  python3 -m pip install --quiet pydicom >&2
fi
python3 -c "import pydicom.data as d; print(d.get_testdata_file('CT_small.dcm'))"
