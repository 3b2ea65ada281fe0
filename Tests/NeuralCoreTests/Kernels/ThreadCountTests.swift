// One thread switch for everything: ComputeThreads.configure (what `--threads` and NST_THREADS set) bounds the
// element-wise ops and reductions as well as the conv kernels, and results do not depend on it.
import Foundation
import Testing
@testable import NeuralCore
import Threading

@Suite(.serialized) struct ThreadCountTests {
    /// Runs `body` with the worker count set to `threads`, then restores the default.
    func with<T>(threads: Int, _ body: () -> T) -> T {
        ComputeThreads.configure(threads: threads)
        defer { ComputeThreads.configure() }
        return body()
    }

    @Test func reductionsAndElementwiseOpsGiveTheSameBitsOnOneOrTwoThreads() {
        var generator = SeededGenerator(seed: 5)
        let n = 1 << 20   // large enough to be split
        let x = Tensor(shape: [n], data: (0..<n).map { _ in generator.nextGaussian() })
        let one = with(threads: 1) { (x.sum().data, (x * x).data) }
        let two = with(threads: 2) { (x.sum().data, (x * x).data) }
        #expect(one.0 == two.0)   // exact: the split into partial sums is fixed
        #expect(one.1 == two.1)
    }

    @Test func runVisitsEveryPieceOnceWithAtMostTheWorkerCountAtATime() {
        for threads in [1, 2, 3] {
            let counts = with(threads: threads) { () -> [Int] in
                let lock = NSLock()
                var visits = [Int](repeating: 0, count: 37)
                Parallel.run(37) { k in lock.lock(); visits[k] += 1; lock.unlock() }
                return visits
            }
            #expect(counts.allSatisfy { $0 == 1 }, "threads \(threads)")
        }
    }

    @Test func nstThreadsIsReadAsAPositiveCount() {
        // Only the parsing: the variable is read when configure() runs without a count.
        setenv("NST_THREADS", "1", 1)
        #expect(WorkerThreads.environmentThreads == 1)
        setenv("NST_THREADS", "zero", 1)
        #expect(WorkerThreads.environmentThreads == nil)
        unsetenv("NST_THREADS")
        #expect(WorkerThreads.environmentThreads == nil)
    }
}
