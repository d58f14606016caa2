#!/usr/bin/env bash
# Fetches English speech recorded by people for speech/asr-en-recorded@1 without committing it:
# Debian's pocketsphinx-testdata package (pinned by version and sha256), its five LibriVox
# utterances (one reader, "Sense and Sensibility") and five "cards" utterances, written as a
# Kaldi-style folder:
#   DIR/wav.scp   <utt> audio/<utt>.wav      DIR/text     <utt> <lower-case transcript>
#   DIR/utt2spk   <utt> <speaker>            DIR/audio/   the WAV files (16 kHz mono 16-bit, as shipped)
# Usage: scripts/fetch-speech-recordings.sh [DIR]   (default target/speech-recordings); prints DIR.
# The .deb is cached in target/deb-cache (or taken from JIEBANG_POCKETSPHINX_DEB, a path to it).
# Idempotent; the folder is written beside DIR and renamed into place. Exit 2 on any error.
set -euo pipefail
# DIR is relative to where the script is called from (as every other path argument is).
dir=$(realpath -m "${1:-$(dirname "$0")/../target/speech-recordings}")
cd "$(dirname "$0")/.."

PACKAGE=pocketsphinx-testdata
VERSION=0.8+5prealpha+1-15
DEB="${PACKAGE}_${VERSION}_all.deb"
SHA256=eaeb7a01d54f20b799d1a81ef110ec544b2cb47ea006614078220737a33019f0
SHIPPED=usr/share/pocketsphinx/test/data

die() { echo "fetch-speech-recordings: $*" >&2; exit 2; }

[[ -n "$dir" && "$dir" != "/" ]] || die "DIR '$dir' is not a folder to write"
for tool in dpkg sha256sum soxi; do
    command -v "$tool" >/dev/null || die "needs $tool on PATH (apt-get install dpkg sox)"
done

# The pinned .deb: given, cached, or downloaded.
cache=target/deb-cache
mkdir -p "$cache"
deb=${JIEBANG_POCKETSPHINX_DEB:-"$cache/$DEB"}
if [[ ! -f "$deb" ]]; then
    command -v apt-get >/dev/null || die "no $deb and no apt-get to download $PACKAGE=$VERSION"
    (cd "$cache" && apt-get download "$PACKAGE=$VERSION" >&2) \
        || die "apt-get download $PACKAGE=$VERSION failed (apt-get update first?)"
fi
actual=$(sha256sum "$deb" | cut -d' ' -f1)
[[ "$actual" == "$SHA256" ]] || die "$deb: sha256 $actual, expected $SHA256 ($PACKAGE $VERSION)"

mkdir -p "$(dirname "$dir")"
parent=$(cd "$(dirname "$dir")" && pwd)
work=$(mktemp -d "$parent/.speech-recordings.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg -x "$deb" "$work/x" || die "$deb: dpkg -x failed"
data="$work/x/$SHIPPED"
out="$work/out"
mkdir -p "$out/audio"
: >"$out/wav.scp.u" && : >"$out/text.u" && : >"$out/utt2spk.u"

# add SPEAKER TRANSCRIPTION WAVDIR: one utterance per line "<s> words </s> (fileid)".
add() {
    local speaker=$1 transcription="$data/$2" wavdir="$data/$3" line=0 re='^<s>(.*)</s>[[:space:]]*\(([A-Za-z0-9_-]+)\)[[:space:]]*$'
    [[ -f "$transcription" ]] || die "$DEB: missing $SHIPPED/$2"
    while IFS= read -r text || [[ -n "$text" ]]; do
        line=$((line + 1))
        [[ "$text" =~ $re ]] || die "$SHIPPED/$2 line $line: expected '<s> words </s> (fileid)'"
        local words fileid utt wav format
        words=$(echo "${BASH_REMATCH[1]}" | tr '[:upper:]' '[:lower:]' | tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//')
        fileid=${BASH_REMATCH[2]}
        [[ -n "$words" ]] || die "$SHIPPED/$2 line $line: empty transcript"
        utt="$speaker-${fileid##*-}"
        wav="$wavdir/$fileid.wav"
        [[ -f "$wav" ]] || die "$SHIPPED/$2 line $line: no $3/$fileid.wav"
        format="$(soxi -r "$wav") $(soxi -c "$wav") $(soxi -b "$wav") $(soxi -e "$wav")"
        [[ "$format" == "16000 1 16 Signed Integer PCM" ]] \
            || die "$3/$fileid.wav: '$format', expected 16 kHz mono 16-bit PCM"
        cp "$wav" "$out/audio/$utt.wav"
        printf '%s audio/%s.wav\n' "$utt" "$utt" >>"$out/wav.scp.u"
        printf '%s %s\n' "$utt" "$words" >>"$out/text.u"
        printf '%s %s\n' "$utt" "$speaker" >>"$out/utt2spk.u"
    done <"$transcription"
}
add librivox librivox/transcription librivox
add cards cards/cards.transcription cards

for name in wav.scp text utt2spk; do
    LC_ALL=C sort "$out/$name.u" >"$out/$name"
    rm "$out/$name.u"
done
count=$(wc -l <"$out/wav.scp")
[[ "$count" -eq 10 ]] || die "$DEB: $count utterances, expected 10"

# Replace DIR: the old folder is moved aside first, so DIR is always whole or absent.
if [[ -e "$dir" ]]; then
    mv "$dir" "$work/old"
fi
mv "$out" "$dir"
cd "$dir" && pwd
