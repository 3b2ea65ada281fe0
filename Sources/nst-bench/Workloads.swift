// The registry of benchmark workloads. To add one: write `static let <name> = Workload(...)` in its own file
// (as ConvWorkload.swift does) and append it to `all`.

/// One benchmark: a name typed on the command line, a one-line summary, and a body returning its JSON fields.
struct Workload {
    var name: String
    var summary: String
    /// Returns the JSON object's fields (numbers, strings, arrays, nested [String: Any]); throws BenchError.
    var run: (BenchOptions) throws -> [String: Any]
}

enum Workloads {
    static let all: [Workload] = [core, stylize, conv, convTransformer, gemm, classifier, classifierBN, optimizers, feedforward, transformerTrain, fast]
}
