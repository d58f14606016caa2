#!/usr/bin/env bash
# The speech built-ins on cuda, wgpu and cpu (their template distances are a GEMM on a GPU
# backend): every generated suite, each scorecard verified, the metric values compared across
# backends. Made by scripts/gpu/prepare.sh; run as `bash gpu/check-speech.sh` with carry gpu and .gl.
for f in .gl/*.deb; do dpkg -x $f / ; done >/dev/null; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export LD_LIBRARY_PATH=/usr/local/cuda/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod +x gpu/jiebang
J=gpu/jiebang
R=/tmp/speech
for b in cpu cuda wgpu; do
  for s in asr-zh:zh-dtw asr-en:en-dtw far-field-5m:zh-dtw intent:intent-dtw; do
    timeout 120 $J -q run --suite speech/${s%%:*} --sut builtin:${s##*:} --backend $b --out $R/$b >/dev/null 2>$R-$b-${s%%:*}.err || { echo "FAILED $b $s"; cat $R-$b-${s%%:*}.err; }
  done
done
$J verify $R/*/*.scorecard.json | grep -c ': OK'
python3 - <<'PY'
import json, glob
cards = {}
for f in glob.glob('/tmp/speech/*/*.scorecard.json'):
    c = json.load(open(f)); b = f.split('/')[3]
    cards.setdefault(f.split('/')[-1], {})[b] = c
for name, by in sorted(cards.items()):
    base = {k: (v['value'], v.get('ci95')) for k, v in by['cpu']['metrics'].items() if not k.startswith('response.')}
    for b in ('cuda', 'wgpu'):
        other = {k: (v['value'], v.get('ci95')) for k, v in by[b]['metrics'].items() if not k.startswith('response.')}
        diff = [k for k in base if base[k] != other.get(k)]
        rtf = by[b]['metrics']['response.real_time_factor']['value']
        print(f"{name.split('.builtin')[0]:24} {b:5} differs from cpu in {len(diff)} metrics {diff[:4]}  rtf {rtf:.4f} (cpu {by['cpu']['metrics']['response.real_time_factor']['value']:.4f})")
PY
