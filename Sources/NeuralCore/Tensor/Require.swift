// A precondition that holds in every build configuration.
//
// Numeric targets are built with -Ounchecked, where `precondition` is not evaluated (and a failed one is undefined
// behaviour), so a shape check written with it vanishes from the release binary and a bad shape reaches a kernel
// as an out-of-bounds read. `fatalError` is evaluated in every configuration. `require` is used at op and layer
// boundaries, never inside per-element loops, so it costs nothing measurable while the hot loops keep -Ounchecked.
//
// It is a last line of defence: values that come from files are validated earlier with thrown, typed errors
// (SafeTensorsFile, WeightStore, the metadata decoders), so a crafted file gets a one-line error, not this trap.

/// Stops the program with `message` when `condition` is false, in debug, release and -Ounchecked builds alike.
@inlinable @inline(__always)
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
