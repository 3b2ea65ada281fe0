// Learning-rate schedules: constant, step decay, and cosine annealing (Loshchilov & Hutter 2017, no restarts).
import Foundation

/// Maps a base rate and a 0-based step index to the rate to use at that step.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    case constant
    /// base · gamma^⌊step / every⌋.
    case step(every: Int, gamma: Float)
    /// minimum + (base − minimum)·(1 + cos(π·t/T))/2 with t = min(step, T); stays at minimum after T steps.
    case cosine(totalSteps: Int, minimum: Float)

    public func rate(base: Float, step: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .step(let every, let gamma):
            return base * Float(Foundation.pow(Double(gamma), Double(max(step, 0) / max(every, 1))))
        case .cosine(let total, let minimum):
            let t = Double(min(max(step, 0), max(total, 1))) / Double(max(total, 1))
            return minimum + (base - minimum) * Float((1 + Foundation.cos(Double.pi * t)) / 2)
        }
    }
}
