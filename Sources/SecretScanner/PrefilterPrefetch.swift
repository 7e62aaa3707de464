public import Foundation
import Hashing
import PatternMatching
import SystemSupport

/// The matching database (prefilter) that the rules from the same place used last time, loaded on another
/// thread while this run's rules load, decode and compile: its key is known only from the rules' patterns,
/// so without this the database (megabytes, read and authenticated) is loaded only once they are all
/// decoded. `CompiledRules` uses it only when the key of its own patterns is the one loaded; otherwise it
/// loads or builds its own and records that key for the next run.
///
/// The key is kept in the cache folder as `prefilter-for-<digest of where the rules come from>`, an
/// authenticated file like the others (`CacheFolder`): a swapped-in one is not trusted.
public final class PrefilterPrefetch: Sendable {
    let directory: URL
    /// The cache file that names the key for these rules.
    let pointerName: String
    /// The key recorded last time (nil: none), and the database loaded for it.
    let key: String?
    private let loading: BackgroundResult<Prefilter?, Never>?

    /// Starts loading the database last used by the rules from `rules` (the path of the `--config` or project
    /// file, "" for the built-in rules alone). Nil without a cache folder.
    public static func start(cacheDirectory: URL?, rules: String) -> PrefilterPrefetch? {
        guard let cacheDirectory else { return nil }
        return PrefilterPrefetch(directory: cacheDirectory, rules: rules)
    }

    init(directory: URL, rules: String) {
        self.directory = directory
        pointerName = "prefilter-for-" + String(Hex.encode(Digest.sha256(Array(rules.utf8))).prefix(32))
        let recorded = CacheFolder.trusted(directory.path)?.read(pointerName).map { String(decoding: $0, as: UTF8.self) }
        key = recorded
        loading = recorded.map { key in
            BackgroundResult<Prefilter?, Never> {
                defer { PhaseClock.mark("prefilter loaded (background)") }
                return Prefilter(cachedKey: key, cacheDirectory: directory)
            }
        }
    }

    /// The database loaded for `key`, nil when another key was recorded or it did not load (waits for it).
    func prefilter(forKey key: String) -> Prefilter? {
        guard key == self.key, let loading else { return nil }
        return loading.result()
    }

    /// Records `key` as the one these rules use (when it is not already).
    func record(_ key: String) {
        guard key != self.key else { return }
        CacheFolder.trusted(directory.path)?.write(pointerName, Array(key.utf8))
    }
}
