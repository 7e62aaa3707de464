internal import CSystemFacts

/// The identity of the running program's build: the GNU build id the linker wrote into its `.note.gnu.build-id`
/// (a digest of the linked output), as lowercase hex. Caches of what the program's own code computes from its
/// own data (the matching plan of the built-in rules) are keyed with it, so that another build, even of the
/// same rules, never uses them. Nil when the program carries no build id (such caches are then not used).
public enum BuildIdentity {
    public static let current: String? = {
        var id = [UInt8](repeating: 0, count: 64)
        let length = id.withUnsafeMutableBufferPointer { keywarden_build_id($0.baseAddress, $0.count) }
        guard length > 0 else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: id.prefix(length).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }()
}

