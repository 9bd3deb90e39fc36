extension Duration {
    /// The duration in seconds, as the benchmarks print them.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
