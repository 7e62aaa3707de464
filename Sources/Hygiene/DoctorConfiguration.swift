public import SecretRules

/// The `[doctor]` table of `.keywarden.toml`, as `ProjectSettings` parses it (one parser for the whole file;
/// other tables belong to other commands).
public typealias DoctorConfiguration = DoctorSettings

extension DoctorSettings {
    /// The file name, at the work tree root.
    public static let fileName = ProjectSettings.fileName

    /// Reads `path`; an empty configuration when the file does not exist.
    public static func load(path: String) throws(HygieneError) -> DoctorConfiguration {
        guard let bytes = FileAccess.contents(path) else {
            if FileAccess.exists(path) { throw HygieneError(.io, "\(path): cannot read") }
            return DoctorConfiguration()
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw HygieneError(.badConfiguration, "\(path): not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses the text of `.keywarden.toml`; errors name `file` and, for syntax errors, the line.
    public static func parse(_ text: String, file: String) throws(HygieneError) -> DoctorConfiguration {
        do {
            return try ProjectSettings.parse(text, file: file).doctor
        } catch {
            throw HygieneError(.badConfiguration, error.description)
        }
    }
}
