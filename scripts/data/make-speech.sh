#!/usr/bin/env bash
# Synthesises the committed speech corpus under tasks/speech/data/ from its hand-written text
# (sentences/{zh,en}.jsonl, grammar/{zh,en}.json) with espeak-ng, converts every file with sox to
# 16 kHz mono 16-bit PCM with leading/trailing silence trimmed to 0.1 s, checks the result
# (format, duration, loudness, fast < normal < slow) and writes MANIFEST.tsv (path, bytes, sha256,
# command) with the tool versions in its header.
#
#   scripts/data/make-speech.sh           regenerate audio/, templates/ and MANIFEST.tsv
#   scripts/data/make-speech.sh --check   only check the committed files against MANIFEST.tsv
#
# Idempotent: the same espeak-ng and sox give the same bytes. Another espeak-ng version gives other
# audio, so the script refuses to run with versions other than the pinned ones unless
# JIEBANG_SPEECH_ANY_VERSION=1 (and then the manifest header records what was used).
# Exit status: 0 done, 1 a check failed, 2 error (missing tool, bad input).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
data="$root/tasks/speech/data"
here="$root/scripts/data"

ESPEAK_PINNED="1.51"
SOX_PINNED="v14.4.2"

die() { echo "make-speech: $*" >&2; exit 2; }

for tool in espeak-ng sox soxi jq sha256sum; do
    command -v "$tool" >/dev/null || die "needs $tool on PATH (apt-get install espeak-ng sox jq)"
done

if [[ "${1:-}" == "--check" ]]; then
    exec "$here/check-speech.sh" "$data"
fi
[[ $# -eq 0 ]] || die "unknown argument '$1' (expected none or --check)"

espeak_version=$(espeak-ng --version | head -n1)
sox_version=$(sox --version | head -n1 | sed 's/^sox: *//')
if [[ "${JIEBANG_SPEECH_ANY_VERSION:-0}" != 1 ]]; then
    [[ "$espeak_version" == *" $ESPEAK_PINNED "* ]] \
        || die "espeak-ng is '$espeak_version', expected $ESPEAK_PINNED (set JIEBANG_SPEECH_ANY_VERSION=1 to use it anyway)"
    [[ "$sox_version" == *"$SOX_PINNED"* ]] \
        || die "sox is '$sox_version', expected $SOX_PINNED (set JIEBANG_SPEECH_ANY_VERSION=1 to use it anyway)"
fi

# Voices and speeds. Voice A is the recogniser's template voice; B is female; C is another male
# variant at a lower pitch.
declare -A VOICE=(
    [zh:a]="-v cmn-latn-pinyin -s 230"
    [zh:a-fast]="-v cmn-latn-pinyin -s 300"
    [zh:a-slow]="-v cmn-latn-pinyin -s 175"
    [zh:b]="-v cmn-latn-pinyin+f3 -s 230"
    [zh:c]="-v cmn-latn-pinyin+m3 -s 230 -p 35"
    [en:a]="-v en-us -s 195"
    [en:b]="-v en-us+f3 -s 195"
)
VARIANTS_zh="a a-fast a-slow b c"
VARIANTS_en="a b"
TRIM="rate 16000 channels 1 silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse"
SENTENCE_EFFECTS="$TRIM pad 0.08 0.08"
# Templates keep 0.05 s either side: they are word models, and the corpus must stay within 6 MB.
TEMPLATE_EFFECTS="$TRIM pad 0.05 0.05"

tmp=$(mktemp -d "$data/.make-speech.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out"
rows="$tmp/rows.tsv"
: >"$rows"

# row PATH COMMAND: one manifest row for a file under $tmp/out (or $data for hand-written text).
row() {
    local rel=$1 cmd=$2 file
    if [[ -f "$tmp/out/$rel" ]]; then file="$tmp/out/$rel"; else file="$data/$rel"; fi
    local bytes sum
    bytes=$(stat -c %s "$file")
    sum=$(sha256sum "$file" | cut -d' ' -f1)
    printf '%s\t%s\t%s\t%s\n' "$rel" "$bytes" "$sum" "$cmd" >>"$rows"
}

# synth REL TEXT VOICE-ARGS SOX-EFFECTS: speak TEXT into $tmp/out/REL.
synth() {
    local rel=$1 text=$2 voice=$3 effects=$4
    mkdir -p "$(dirname "$tmp/out/$rel")"
    # shellcheck disable=SC2086 # the voice arguments are meant to split
    espeak-ng $voice -w "$tmp/raw.wav" "$text" || die "espeak-ng failed on '$text' ($rel)"
    # shellcheck disable=SC2086
    sox -R -D "$tmp/raw.wav" -b 16 "$tmp/out/$rel" $effects || die "sox failed on $rel"
    row "$rel" "espeak-ng $voice -w raw.wav '$text' && sox -R -D raw.wav -b 16 $(basename "$rel") $effects"
}

for lang in zh en; do
    sentences="$data/sentences/$lang.jsonl"
    grammar="$data/grammar/$lang.json"
    [[ -f "$sentences" ]] || die "missing $sentences"
    [[ -f "$grammar" ]] || die "missing $grammar"
    row "sentences/$lang.jsonl" "written by hand"
    row "grammar/$lang.json" "written by hand"
    variants_var="VARIANTS_$lang"
    line=0
    while IFS=$'\t' read -r sid text; do
        line=$((line + 1))
        [[ "$sid" =~ ^[a-z]{2}[0-9]{2}$ ]] || die "$sentences line $line: sid '$sid' is not like ${lang}01"
        [[ -n "$text" ]] || die "$sentences line $line: empty text"
        for variant in ${!variants_var}; do
            synth "audio/$lang/$sid.$variant.wav" "$text" "${VOICE[$lang:$variant]}" "$SENTENCE_EFFECTS"
        done
    done < <(jq -r '[.sid, .text] | @tsv' "$sentences" || die "$sentences: not JSON lines")
    while IFS=$'\t' read -r wid text; do
        [[ "$wid" =~ ^[a-z]+$ ]] || die "$grammar: word id '$wid' is not lower-case ASCII letters"
        synth "templates/$lang/$wid.wav" "$text" "${VOICE[$lang:a]}" "$TEMPLATE_EFFECTS"
    done < <(jq -r '.vocabulary[] | [.wid, .text] | @tsv' "$grammar" || die "$grammar: not JSON")
done

{
    echo "# jiebang speech corpus, made by scripts/data/make-speech.sh; every audio file is 16 kHz mono 16-bit PCM"
    echo "# espeak-ng: $espeak_version"
    echo "# sox: $sox_version"
    printf 'path\tbytes\tsha256\tcommand\n'
    LC_ALL=C sort "$rows"
} >"$tmp/MANIFEST.tsv"

# Replace the generated parts in one go; the hand-written text stays as it is.
rm -rf "$data/audio" "$data/templates"
mv "$tmp/out/audio" "$data/audio"
mv "$tmp/out/templates" "$data/templates"
mv "$tmp/MANIFEST.tsv" "$data/MANIFEST.tsv"

"$here/check-speech.sh" "$data"
