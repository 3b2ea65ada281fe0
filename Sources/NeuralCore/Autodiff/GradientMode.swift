// Switching gradient recording off for inference, and the training/inference mode flag ops take explicitly.

/// Whether ops record pullbacks. A task-local flag, so concurrent tasks (e.g. parallel tests, a
/// background evaluation) each have their own scope.
enum GradientRecording {
    @TaskLocal static var isEnabled = true
}

/// Runs `body` with gradient recording off: ops inside build no graph and keep nothing for backward.
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    try GradientRecording.$isEnabled.withValue(false, operation: body)
}

/// Training or inference behaviour for ops that differ (dropout, batch norm). Always passed explicitly.
public enum Mode: Sendable {
    case training, inference
}
