// Conversions between Float32 and the 16-bit storage types of safetensors files (IEEE half, bfloat16),
// little-endian.
import Foundation

enum HalfPrecision {
    /// Every binary16 bit pattern as a Float32 (exact: each half is a float), built on first use (256 KB).
    static let halfToFloat: [Float] = (0...UInt16.max).map { Float(Float16(bitPattern: $0)) }

    /// `count` Float32 values from raw little-endian bytes of `dtype`.
    static func decode(_ raw: UnsafeRawBufferPointer, dtype: SafeTensorsDType, count: Int) -> [Float] {
        [Float](count: count) { out in
            switch dtype {
            case .f32:
                #if _endian(little)
                UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress!, byteCount: 4 * count)
                #else
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                #endif
            case .f16:
                // A table lookup per value, in parallel: Float(Float16) is a library call per value on x86 without
                // F16C, and the shipped weights are 22 M halves (about 70 ms of a 2-s --fast run, by perf's samples).
                let base = raw.baseAddress!
                halfToFloat.withUnsafeBufferPointer { table in
                    Parallel.chunks(count, grain: 1 << 16) { range in
                        for i in range {
                            out[i] = table[Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))]
                        }
                    }
                }
            case .bf16:
                // bfloat16 is the top half of a Float32.
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            }
        }
    }

    /// Little-endian bytes of `values` as `dtype` (F32 or F16; F16 rounds to nearest even, overflows to ±inf).
    static func encode(_ values: [Float], dtype: SafeTensorsDType) -> Data {
        switch dtype {
        case .f32:
            return values.withUnsafeBufferPointer { Data(buffer: $0) }
        case .f16:
            let halves = values.map { Float16($0).bitPattern.littleEndian }
            return halves.withUnsafeBufferPointer { Data(buffer: $0) }
        case .bf16:
            // Round to nearest even on the dropped 16 bits; NaN stays NaN.
            let words = values.map { v -> UInt16 in
                if v.isNaN { return 0x7FC0 }
                let b = v.bitPattern
                return UInt16((b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16).littleEndian
            }
            return words.withUnsafeBufferPointer { Data(buffer: $0) }
        }
    }
}
