// swift-tools-version:6.0
// nst: neural style transfer and image pipelines on a CPU autodiff core of our own.
// Dependencies point one way: C libraries, Threading <- NeuralCore / ImageIO <- Networks <- StyleTransfer / Classification <- nst.
import PackageDescription

import Foundation

// The compute targets (NeuralCore's kernels, StyleTransfer's losses and transforms) are built with -Ounchecked in
// release, so their hot loops drop per-element overflow and bounds checks. That is safe only because every op checks
// its shapes at its boundary with `require` (evaluated in every configuration, unlike `precondition`) and nothing read
// from a file reaches them unvalidated. The targets where file contents flow (ImageIO's decoders and headers,
// Networks' model construction, Classification's IDX files, caches, checkpoints and metadata) keep Swift's checks (-O).
let numeric: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]
let checked: [SwiftSetting] = [.unsafeFlags(["-wmo"], .when(configuration: .release))]

let package = Package(
    name: "nst",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nst", targets: ["nst"]),
        .executable(name: "nst-bench", targets: ["nst-bench"]),
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "ImageIO", targets: ["ImageIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, one module map each.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        // libpng's full write API reports errors through longjmp too; its tiny C target hides that (reading uses png_image).
        .target(name: "CPNG", path: "Sources/CPNG", linkerSettings: [.linkedLibrary("png16")]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // libjpeg reports errors through longjmp; this tiny C target turns them into return codes.
        .target(name: "CJPEG", path: "Sources/CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        // The worker count every parallel loop honours (NeuralCore's and ImageIO's alike).
        .target(name: "Threading", swiftSettings: checked),
        .target(name: "NeuralCore", dependencies: ["COpenBLAS", "Threading"], exclude: ["Ops/README.md"], swiftSettings: numeric),
        .target(name: "ImageIO", dependencies: ["CPNG", "CJPEG", "Threading"], swiftSettings: checked),
        .target(name: "Networks", dependencies: ["NeuralCore", "ImageIO"], swiftSettings: checked),
        .target(name: "StyleTransfer", dependencies: ["Networks"], swiftSettings: numeric),
        .target(name: "Classification", dependencies: ["Networks", "CZlib"], swiftSettings: checked),

        .executableTarget(name: "nst", dependencies: [
            "NeuralCore", "ImageIO", "Networks", "StyleTransfer", "Classification",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nst-bench", dependencies: [
            "NeuralCore", "ImageIO", "Networks", "StyleTransfer", "Classification",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: numeric),

        .target(name: "TestSupport", dependencies: ["NeuralCore"], path: "Tests/TestSupport"),
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore", "Threading", "TestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Threading"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "TestSupport"]),
        .testTarget(name: "StyleTransferTests", dependencies: ["StyleTransfer", "TestSupport"]),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "TestSupport"]),
        .testTarget(name: "nstTests", dependencies: ["nst"]),
    ],
    swiftLanguageModes: [.v5]
)

// libFuzzer targets (Fuzz/, docs/fuzzing.md), only when scripts/fuzz asks: they have no main of their own (libFuzzer
// provides it), so an ordinary build must not see them.
if ProcessInfo.processInfo.environment["NST_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "nst-fuzz", dependencies: [
        "NeuralCore", "ImageIO", "Networks", "StyleTransfer", "Classification",
    ], path: "Fuzz/NSTFuzz", swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
