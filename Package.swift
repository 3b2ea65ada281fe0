// swift-tools-version:6.0
// nst: neural style transfer and image pipelines on a CPU autodiff core of our own.
// Dependencies point one way: C libraries <- NeuralCore / ImageIO <- Networks <- StyleTransfer / Classification <- nst.
import PackageDescription

// Numeric targets are built with -Ounchecked in release: bounds are checked at op boundaries
// (shape preconditions), so the hot loops may drop per-element overflow and bounds checks.
let numeric: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

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
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // libjpeg reports errors through longjmp; this tiny C target turns them into return codes.
        .target(name: "CJPEG", path: "Sources/CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        .target(name: "NeuralCore", dependencies: ["COpenBLAS"], swiftSettings: numeric),
        .target(name: "ImageIO", dependencies: ["CPNG", "CJPEG"], swiftSettings: numeric),
        .target(name: "Networks", dependencies: ["NeuralCore", "ImageIO"], swiftSettings: numeric),
        .target(name: "StyleTransfer", dependencies: ["Networks"], swiftSettings: numeric),
        .target(name: "Classification", dependencies: ["Networks", "CZlib"], swiftSettings: numeric),

        .executableTarget(name: "nst", dependencies: [
            "NeuralCore", "ImageIO", "Networks", "StyleTransfer", "Classification",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nst-bench", dependencies: [
            "NeuralCore", "ImageIO", "Networks", "StyleTransfer", "Classification",
        ], swiftSettings: numeric),

        .target(name: "TestSupport", dependencies: ["NeuralCore"], path: "Tests/TestSupport"),
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore", "TestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "TestSupport"]),
        .testTarget(name: "StyleTransferTests", dependencies: ["StyleTransfer", "TestSupport"]),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "TestSupport"]),
        .testTarget(name: "nstTests", dependencies: ["nst"]),
    ],
    swiftLanguageModes: [.v5]
)
