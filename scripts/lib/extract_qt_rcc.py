#!/usr/bin/env python3
"""Reads Qt binary resource files (.rcc, magic 'qres', format versions 1-3) with the standard library only.
Used by scripts/fetch-paintings to take the paintings out of GCompris's paintings.rcc.

Usage: extract_qt_rcc.py list FILE                  every file in FILE: size, flags, path
       extract_qt_rcc.py cat FILE PATH              one file's bytes to stdout
       extract_qt_rcc.py extract FILE DEST [PREFIX] every file (under PREFIX) to DEST, keeping the paths

Layout (Qt's rcc.cpp / qresource.cpp): a header of big-endian 32-bit words: 'qres', version, tree offset, data
offset, names offset, and from version 3 a flags word. The tree is an array of nodes (14 bytes in version 1, 22 from
version 2 on, which add an 8-byte modification time): name offset (4), flags (2), then for a directory (flag 0x02)
child count (4) and index of the first child (4), else country (2), language (2) and data offset (4). Node 0 is the
root. A name is a 2-byte length, a 4-byte hash and that many UTF-16BE code units. A file's data is a 4-byte length
and the bytes; flag 0x01 means qCompress (a 4-byte big-endian uncompressed size, then a zlib stream), 0x04 zstd."""
import os
import struct
import sys
import zlib

COMPRESSED, DIRECTORY, COMPRESSED_ZSTD = 0x01, 0x02, 0x04


class RccError(Exception):
    pass


class Rcc:
    def __init__(self, blob, origin="rcc"):
        if blob[:4] != b"qres":
            raise RccError(f"{origin}: not a Qt resource file (magic {blob[:4]!r}, expected b'qres')")
        self.blob, self.origin = blob, origin
        self.version, self.tree, self.data, self.names = struct.unpack_from(">4I", blob, 4)
        if self.version not in (1, 2, 3):
            raise RccError(f"{origin}: unsupported rcc format version {self.version}")
        self.node_size = 14 if self.version == 1 else 22

    def _u32(self, at):
        return struct.unpack_from(">I", self.blob, at)[0]

    def _name(self, offset):
        at = self.names + offset
        length = struct.unpack_from(">H", self.blob, at)[0]
        return self.blob[at + 6:at + 6 + 2 * length].decode("utf-16-be")

    def _node(self, index):
        at = self.tree + index * self.node_size
        name_offset, flags = struct.unpack_from(">IH", self.blob, at)
        if flags & DIRECTORY:
            count, first = struct.unpack_from(">II", self.blob, at + 6)
            return name_offset, flags, (count, first)
        country, language, data_offset = struct.unpack_from(">HHI", self.blob, at + 6)
        return name_offset, flags, data_offset

    def files(self):
        """(path, flags, data offset) for every file, depth first in the tree's (hash) order."""
        out, stack = [], [(0, "")]
        while stack:
            index, prefix = stack.pop()
            name_offset, flags, rest = self._node(index)
            name = "" if index == 0 else self._name(name_offset)
            path = f"{prefix}/{name}" if prefix else name
            if flags & DIRECTORY:
                count, first = rest
                stack.extend((first + i, path) for i in reversed(range(count)))
            else:
                out.append((path, flags, rest))
        return out

    def read(self, flags, data_offset, path="?"):
        at = self.data + data_offset
        length = self._u32(at)
        raw = self.blob[at + 4:at + 4 + length]
        if flags & COMPRESSED_ZSTD:
            raise RccError(f"{self.origin}: {path} is zstd-compressed (flag 0x04); only zlib and uncompressed "
                           "entries are supported (Python's standard library has no zstd before 3.14)")
        if flags & COMPRESSED:
            size = struct.unpack_from(">I", raw, 0)[0]
            data = zlib.decompress(raw[4:])
            if len(data) != size:
                raise RccError(f"{self.origin}: {path}: inflated to {len(data)} bytes, header says {size}")
            return data
        if flags & ~(COMPRESSED | DIRECTORY | COMPRESSED_ZSTD):
            raise RccError(f"{self.origin}: {path}: unknown flags 0x{flags:x}")
        return raw

    def get(self, path):
        for p, flags, offset in self.files():
            if p == path.lstrip("/"):
                return self.read(flags, offset, p)
        raise RccError(f"{self.origin}: no file {path}")


def main(argv):
    arguments = {"list": (3,), "cat": (4,), "extract": (4, 5)}
    if len(argv) < 2 or len(argv) not in arguments.get(argv[1], ()):
        sys.exit(__doc__.split("\n\nLayout")[0])
    command, source = argv[1], argv[2]
    with open(source, "rb") as f:
        rcc = Rcc(f.read(), source)
    if command == "list":
        for path, flags, offset in rcc.files():
            print(f"{len(rcc.read(flags, offset, path)) if not flags & COMPRESSED_ZSTD else '?':>9} 0x{flags:02x} {path}")
    elif command == "cat":
        sys.stdout.buffer.write(rcc.get(argv[3]))
    else:
        dest, prefix = argv[3], (argv[4].strip("/") if len(argv) > 4 else "")
        for path, flags, offset in rcc.files():
            if prefix and not (path == prefix or path.startswith(prefix + "/")):
                continue
            if ".." in path.split("/"):
                raise RccError(f"{source}: refusing to write {path} outside {dest}")
            target = os.path.join(dest, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(rcc.read(flags, offset, path))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except RccError as e:
        sys.exit(f"extract_qt_rcc: {e}")
