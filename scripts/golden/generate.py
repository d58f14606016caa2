"""Regenerate every golden fixture of jiebang-metrics (harness/metrics/tests/golden/*.json).

Run from the repository root:  python3 scripts/golden/generate.py
Needs: numpy, scipy, statsmodels, scikit-learn, jiwer, sacrebleu (versions are recorded in
each fixture). Inputs are generated with fixed seeds, so a rerun with the same tool versions
reproduces the files byte for byte.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_biometrics  # noqa: E402
import gen_bootstrap  # noqa: E402
import gen_clopper_pearson  # noqa: E402
import gen_curves  # noqa: E402
import gen_detection  # noqa: E402
import gen_froc  # noqa: E402
import gen_latency  # noqa: E402
import gen_proportion  # noqa: E402
import gen_speech  # noqa: E402
import gen_speech_alignment  # noqa: E402
import gen_translation  # noqa: E402
import gen_unicode_tables  # noqa: E402


def main():
    gen_unicode_tables.main()
    gen_proportion.main()
    gen_clopper_pearson.main()
    gen_detection.main()
    gen_bootstrap.main()
    gen_froc.main()
    gen_curves.main()
    gen_biometrics.main()
    gen_speech.main()
    gen_speech_alignment.main()
    gen_translation.main()
    gen_latency.main()


if __name__ == "__main__":
    main()
