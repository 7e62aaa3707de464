internal import TOMLKit

/// The `[doctor]` table of `.keywarden.toml`. Other tables (`[hook]`, ...) belong to other commands and are
/// ignored.
///
/// ```toml
/// [doctor]
/// required_env = ["MAINTAINX_API_KEY", "MINDTICKLE_API_KEY"]
/// environments = { prod = ".env.production", staging = ".env.staging" }
/// ```
public struct DoctorConfiguration: Sendable, Equatable {
    /// One environment and the dotenv file that holds its variables (relative to the work tree root).
    public struct Environment: Sendable, Equatable {
        public let name: String
        public let file: String
        public init(name: String, file: String) {
            self.name = name
            self.file = file
        }
    }

    /// The file name, at the work tree root.
    public static let fileName = ".keywarden.toml"

    /// Variables that must be set (and not placeholders) in every environment.
    public var requiredEnvironment: [String]
    /// Environments by name (sorted by name); empty means the process environment and `.env`.
    public var environments: [Environment]

    public init(requiredEnvironment: [String] = [], environments: [Environment] = []) {
        self.requiredEnvironment = requiredEnvironment
        self.environments = environments.sorted { $0.name < $1.name }
    }

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
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw HygieneError(.badConfiguration, "\(file):\(e.source.begin.line): not valid TOML: \(e.description)")
        } catch {
            throw HygieneError(.badConfiguration, "\(file): not valid TOML")
        }
        guard let doctorValue = table["doctor"] else { return DoctorConfiguration() }
        guard let doctor = doctorValue.table else {
            throw HygieneError(.badConfiguration, "\(file): [doctor] must be a table")
        }
        var required: [String] = []
        if let value = doctor["required_env"] {
            guard let array = value.array else {
                throw HygieneError(.badConfiguration, "\(file): [doctor] required_env must be an array of variable names")
            }
            for element in array {
                guard let name = element.tomlValue.string, isVariableName(name) else {
                    throw HygieneError(.badConfiguration,
                                       "\(file): [doctor] required_env must hold variable names like MAINTAINX_API_KEY")
                }
                if !required.contains(name) { required.append(name) }
            }
        }
        var environments: [Environment] = []
        if let value = doctor["environments"] {
            guard let envTable = value.table else {
                throw HygieneError(.badConfiguration,
                                   "\(file): [doctor] environments must be a table like { prod = \".env.production\" }")
            }
            for (name, fileValue) in envTable {
                guard let path = fileValue.tomlValue.string, !path.isEmpty else {
                    throw HygieneError(.badConfiguration, "\(file): [doctor] environments.\(name) must be a file name")
                }
                environments.append(Environment(name: name, file: path))
            }
        }
        return DoctorConfiguration(requiredEnvironment: required, environments: environments)
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
