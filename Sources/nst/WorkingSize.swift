// `--working-size pixels|full|auto` of `nst stylize --model` and `--fast`: the size the one-pass methods paint at.
import ArgumentParser

enum WorkingSize: Equatable, ExpressibleByArgument, CustomStringConvertible {
    /// Each method's own rule (StylizerModel.automaticWorkingSize; UniversalStyleConfig.workingSize).
    case auto
    /// The output's own size.
    case full
    /// This longest side in pixels.
    case pixels(Int)

    init?(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "full": self = .full
        default:
            guard let side = Int(argument), side >= 16 else { return nil }
            self = .pixels(side)
        }
    }

    var description: String {
        switch self {
        case .auto: "auto"
        case .full: "full"
        case .pixels(let side): String(side)
        }
    }

    var defaultValueDescription: String { description }

    /// The longest side to paint at, nil for the output's size; `automatic` is the method's rule.
    func side(automatic: @autoclosure () -> Int?) -> Int? {
        switch self {
        case .auto: automatic()
        case .full: nil
        case .pixels(let side): side
        }
    }
}
