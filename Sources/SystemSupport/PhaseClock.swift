#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import Synchronization

/// Where a run's time goes, for profiling start-up: with `KEYWARDEN_TIMING` set in the environment, each
/// `mark(_:)` records the monotonic time and `report()` gives each mark's time since the first. Marks may
/// come from any thread (work done in the background says so in its name). Without the variable nothing
/// is recorded: a mark costs one check of a flag read once.
public enum PhaseClock {
    private static let enabled: Bool = getenv("KEYWARDEN_TIMING") != nil
    private static let marks = Mutex<[(String, Double)]>([])

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Whether marks are recorded (`KEYWARDEN_TIMING` is set).
    public static var isEnabled: Bool { enabled }

    /// Records that `phase` ended now (the first mark is the starting point).
    public static func mark(_ phase: String) {
        guard enabled else { return }
        let t = now()
        marks.withLock { $0.append((phase, t)) }
    }

    /// The marks so far as one line, `ms since main: parsed 0.4, rules 6.2, ...` (each mark's time since the
    /// first, which names the starting point), or nil when timing is off or nothing was marked.
    public static func report() -> String? {
        guard enabled else { return nil }
        return line(marks.withLock { $0 })
    }

    static func line(_ recorded: [(String, Double)]) -> String? {
        guard let first = recorded.first else { return nil }
        let parts = recorded.dropFirst().map { "\($0.0) \(formatMilliseconds($0.1 - first.1))" }
        return "ms since \(first.0):" + (parts.isEmpty ? "" : " " + parts.joined(separator: ", "))
    }

    static func formatMilliseconds(_ seconds: Double) -> String {
        let tenths = max(0, Int((seconds * 10_000).rounded()))
        return "\(tenths / 10).\(tenths % 10)"
    }
}
