// ImageIO's loops honour the one thread switch (WorkerThreads, what `--threads` and NST_THREADS set), and their
// results do not depend on it.
import Foundation
import Testing
@testable import ImageIO
import Threading

@Suite(.serialized) struct ImageThreadCountTests {
    /// Runs `body` with the worker count set to `threads`, then restores the default.
    func with<T>(threads: Int, _ body: () -> T) -> T {
        WorkerThreads.configure(threads: threads)
        defer { WorkerThreads.configure() }
        return body()
    }

    /// A 3-channel image large enough for resize to split its rows, with pixels from a fixed sequence.
    static let photo: Image = {
        var state: UInt64 = 12345
        let (width, height) = (640, 480)
        let pixels = (0..<(3 * width * height)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }()

    @Test func resizeGivesTheSameBitsOnOneOrTwoThreads() {
        let one = with(threads: 1) { (Self.photo.resized(width: 301, height: 233), Self.photo.resized(width: 1000, height: 700)) }
        let two = with(threads: 2) { (Self.photo.resized(width: 301, height: 233), Self.photo.resized(width: 1000, height: 700)) }
        #expect(one.0.pixels == two.0.pixels)
        #expect(one.1.pixels == two.1.pixels)
    }

    @Test func oneThreadRunsEveryChunkOnTheCallersThread() {
        let caller = pthread_self()
        let lock = NSLock()
        var rows = 0, elsewhere = 0
        with(threads: 1) {
            Image.parallelChunks(1000, work: 1 << 20) { range in
                lock.lock(); defer { lock.unlock() }
                rows += range.count
                if pthread_equal(pthread_self(), caller) == 0 { elsewhere += 1 }
            }
        }
        #expect(rows == 1000 && elsewhere == 0)
    }
}
