# Structure and palette measures of issue 31 (numpy/scipy port of ../shared/peer/{structure,palette}.py), until
# `nst score` prints them itself.
#   python measures.py PHOTO PAINTING RESULT...   prints "RESULT structure palette" per result
#   python measures.py --summarise SCORES         means of the four measures (compare-fast.sh lines) per painting,
#                                                 per photo and over all, ours vs lite
# structure: mean SSIM (Wang et al. 2004; 11×11 Gaussian, σ 1.5, valid region, constants 0.01², 0.03² on 0–1) of the
#   luminance Y = 0.299 R + 0.587 G + 0.114 B of photo and result, both at 256 px longest side (Lanczos); higher keeps
#   more of the photo.
# palette: mean over CIE L*, a*, b* (D65, sRGB decoded) of the 1-D Wasserstein distance between the result's and the
#   painting's values, both at 256 px; lower is closer to the painting's colours.
import re, sys, collections
import numpy as np
from PIL import Image
from scipy.signal import convolve2d

def resized(im, size=None):
    if size: return im.resize(size, Image.LANCZOS)
    w, h = im.size; s = 256 / max(w, h)
    return im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS)

def luma(path, size=None):
    im = resized(Image.open(path).convert('RGB'), size)
    return np.asarray(im.convert('L'), dtype=np.float64) / 255, im.size

def ssim(a, b):
    g = np.exp(-((np.arange(11) - 5.0) ** 2) / (2 * 1.5 ** 2)); g /= g.sum(); w = np.outer(g, g)
    c = lambda x: convolve2d(x, w[::-1, ::-1], mode='valid')
    ma, mb = c(a), c(b); saa = c(a * a) - ma ** 2; sbb = c(b * b) - mb ** 2; sab = c(a * b) - ma * mb
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    return float((((2 * ma * mb + c1) * (2 * sab + c2)) / ((ma ** 2 + mb ** 2 + c1) * (saa + sbb + c2))).mean())

def lab(path):
    im = resized(Image.open(path).convert('RGB'))
    c = np.asarray(im, dtype=np.float64).reshape(-1, 3) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = c @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)

def w1(a, b):
    q = np.linspace(0, 1, 1001); return float(np.mean(np.abs(np.quantile(a, q) - np.quantile(b, q))))

def measure(photo, painting, results):
    p, size = luma(photo); pl = lab(painting)
    for r in results:
        x = lab(r)
        yield r, ssim(p, luma(r, size)[0]), float(np.mean([w1(x[:, i], pl[:, i]) for i in range(3)]))

def summarise(path):
    pattern = (r"(\S+) (\S+) content (\S+) vs (\S+), style (\S+) vs (\S+) .*structure (\S+) vs (\S+), palette (\S+) vs (\S+)")
    rows = [m.groups() for m in map(lambda l: re.match(pattern, l), open(path)) if m]
    def line(name, rs):
        m = [np.mean([float(r[k]) for r in rs]) for k in range(2, 10)]
        held = sum(bool(x) for x in (m[2] < m[3], m[0] <= 1.2 * m[1], m[4] >= m[5], m[6] <= m[7]))
        print("%s: content %.2f× lite, style %.2f× lite, structure %.3f vs %.3f, palette %.2f vs %.2f (%d of 4 goals)"
              % (name, m[0] / m[1], m[2] / m[3], m[4], m[5], m[6], m[7], held))
    for key, label in ((1, "painting"), (0, "photo")):
        groups = collections.defaultdict(list)
        for r in rows: groups[r[key]].append(r)
        for name, rs in sorted(groups.items()): line(f"{label} {name}", rs)
    line("all", rows)

if __name__ == '__main__':
    if sys.argv[1] == '--summarise': summarise(sys.argv[2])
    else:
        for r, s, p in measure(sys.argv[1], sys.argv[2], sys.argv[3:]): print(r, round(s, 4), round(p, 3))
