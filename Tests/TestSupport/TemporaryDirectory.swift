import Foundation

/// A directory under the system's temporary folder, removed when the value is discarded.
public final class TemporaryDirectory: @unchecked Sendable {
    /// Its path.
    public let url: URL

    public init(prefix: String = "keywarden-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `relativePath`, creating folders on the way; returns the file's URL.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL {
        try write(relativePath, data: Data(text.utf8))
    }

    /// Writes raw bytes to `relativePath`; returns the file's URL.
    @discardableResult
    public func write(_ relativePath: String, data: Data) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }

    /// The path of `relativePath` inside this directory.
    public func path(_ relativePath: String = "") -> String {
        relativePath.isEmpty ? url.path : url.appendingPathComponent(relativePath).path
    }
}
