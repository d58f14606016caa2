#!/usr/bin/env bash
# Checks the speech corpus in DATA (default tasks/speech/data) by proxy for listening: every file of
# MANIFEST.tsv has its bytes and sha256, no audio file is unlisted, every WAV is 16 kHz mono 16-bit
# PCM, 0.15–8 s long and not silent (RMS amplitude ≥ 0.02), and for each Mandarin sentence the fast
# variant is shorter than the normal one, which is shorter than the slow one. Prints duration figures.
# Exit status: 0 all good, 1 a check failed, 2 error.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-"$root/tasks/speech/data"}
manifest="$data/MANIFEST.tsv"
[[ -f "$manifest" ]] || { echo "check-speech: missing $manifest" >&2; exit 2; }

failed=0
fail() { echo "check-speech: $*" >&2; failed=1; }

durations=$(mktemp)
trap 'rm -f "$durations"' EXIT

line=0
listed=" "
while IFS=$'\t' read -r path bytes sum _cmd; do
    line=$((line + 1))
    [[ "$path" == \#* || "$path" == path ]] && continue
    listed+="$path "
    file="$data/$path"
    if [[ ! -f "$file" ]]; then fail "$manifest line $line: $path is missing"; continue; fi
    [[ "$(stat -c %s "$file")" == "$bytes" ]] || fail "$manifest line $line: $path is not $bytes bytes"
    [[ "$(sha256sum "$file" | cut -d' ' -f1)" == "$sum" ]] || fail "$manifest line $line: $path sha256 differs"
    [[ "$path" == *.wav ]] || continue
    format="$(soxi -r "$file") $(soxi -c "$file") $(soxi -b "$file") $(soxi -e "$file")"
    [[ "$format" == "16000 1 16 Signed Integer PCM" ]] \
        || fail "$path: format '$format', expected 16000 Hz, 1 channel, 16-bit signed PCM"
    seconds=$(soxi -D "$file")
    rms=$(sox "$file" -n stat 2>&1 | awk '/^RMS +amplitude/ {print $3}')
    awk -v s="$seconds" 'BEGIN { exit !(s >= 0.15 && s <= 8) }' || fail "$path: $seconds s, expected 0.15–8 s"
    awk -v r="$rms" 'BEGIN { exit !(r >= 0.02) }' || fail "$path: RMS amplitude $rms, expected ≥ 0.02 (silent?)"
    printf '%s\t%s\t%s\n' "$path" "$seconds" "$rms" >>"$durations"
done <"$manifest"

while IFS= read -r file; do
    rel=${file#"$data/"}
    [[ "$listed" == *" $rel "* ]] || fail "$rel is not in MANIFEST.tsv"
done < <(find "$data/audio" "$data/templates" -type f 2>/dev/null | sort)

# fast < normal < slow for every Mandarin sentence
while IFS=$'\t' read -r sid fast normal slow; do
    awk -v f="$fast" -v n="$normal" -v s="$slow" 'BEGIN { exit !(f < n && n < s) }' \
        || fail "$sid: durations fast $fast, normal $normal, slow $slow are not increasing"
done < <(awk -F'\t' '
    $1 ~ /^audio\/zh\// { split($1, p, "/"); split(p[3], q, "."); d[q[1] "." q[2]] = $2; sids[q[1]] = 1 }
    END { for (s in sids) printf "%s\t%s\t%s\t%s\n", s, d[s ".a-fast"], d[s ".a"], d[s ".a-slow"] }' "$durations" | sort)

echo "speech corpus figures (seconds: n min mean max; RMS mean):"
awk -F'\t' '
    { n = split($1, p, "/"); group = p[1] "/" p[2];
      if (p[1] == "audio") { split(p[3], q, "."); group = group " " q[2] }
      c[group]++; t[group] += $2; r[group] += $3
      if (!(group in lo) || $2 < lo[group]) lo[group] = $2
      if ($2 > hi[group]) hi[group] = $2 }
    END { for (g in c) printf "  %-22s %3d  %.2f  %.2f  %.2f   %.3f\n", g, c[g], lo[g], t[g] / c[g], hi[g], r[g] / c[g] }' \
    "$durations" | sort
echo "  total size: $(du -sh "$data" | cut -f1) in $data"

if [[ $failed -ne 0 ]]; then
    echo "check-speech: FAILED" >&2
    exit 1
fi
echo "check-speech: ok"
