#!/usr/bin/env python3
"""How much of an image's fine texture repeats on a fixed pixel grid (default 8 px, the light stylizer's coarsest
resolution). High-passes the gray image (minus its 9x9 local mean), averages it over every cell of the grid, and prints
the standard deviation of that one-cell average over the standard deviation of the whole high-passed image:
0 for texture that does not care where the grid lies, larger when every cell carries the same pattern.
Needs numpy and Pillow (the peer venv has both).
Usage: benchmarks/peer/grid-pattern.py [--period N] IMAGE...
"""
import argparse

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image


def grid_share(path, period):
    gray = np.asarray(Image.open(path).convert("L"), dtype=np.float64)
    h, w = gray.shape[0] // period * period, gray.shape[1] // period * period
    gray = gray[:h, :w]
    local_mean = sliding_window_view(np.pad(gray, 4, mode="reflect"), (9, 9)).mean(axis=(2, 3))[:h, :w]
    high = gray - local_mean
    cell = high.reshape(h // period, period, w // period, period).mean(axis=(0, 2))
    return cell.std() / high.std()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", type=int, default=8)
    parser.add_argument("images", nargs="+")
    args = parser.parse_args()
    for path in args.images:
        print(f"{path} {grid_share(path, args.period):.3f}")


if __name__ == "__main__":
    main()
