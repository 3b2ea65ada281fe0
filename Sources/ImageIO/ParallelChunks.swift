// How ImageIO's per-row loops (resize, JPEG sample conversion, guided filter) split across threads: into chunks
// whose number depends only on the machine, run by at most `WorkerThreads.count` threads at once, so `--threads` and
// NST_THREADS bound them as they bound NeuralCore's loops, and every row gets the same result on any thread count.
import Threading

extension Image {
    /// Runs `body(range)` over 0..<count, split into chunks across the worker threads when the work is large enough
    /// to pay for it.
    static func parallelChunks(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        // Four chunks a core balance rows of uneven cost when every core works.
        let chunks = work < 1 << 16 ? 1 : min(count, WorkerThreads.cores * 4)
        if chunks <= 1 { return body(0..<count) }
        WorkerThreads.run(chunks) { k in
            body((k * count / chunks)..<((k + 1) * count / chunks))
        }
    }
}
