@testable import SecretScanner
import TestSupport
import Testing

/// Short gate words of the named-value rules count only where a word starts, so that a provider called
/// `een` or `chec` does not send every file holding "between" or "check" through the named-value layer.
@Suite struct GateWordTests {
    func starts(_ text: String, _ word: String) -> Bool {
        let bytes = Array(text.utf8), w = Array(word.utf8)
        let at = (0...(bytes.count - w.count)).first { Array(bytes[$0..<($0 + w.count)]) == w }!
        return bytes.withUnsafeBytes { BufferScanner.startsWord($0, at: at) }
    }

    @Test func aWordStartsAtTheTextsStartAfterPunctuationOrAtACamelCaseHump() {
        #expect(starts("een_api_key=1", "een"))
        #expect(starts("EEN_API_KEY=1", "EEN"))
        #expect(starts("config.een.token", "een"))
        #expect(starts("myEenKey", "Een"))
        #expect(starts("2een", "een"))
    }

    @Test func aWordInsideAnotherDoesNotStart() {
        #expect(!starts("between", "een"))
        #expect(!starts("BETWEEN", "EEN"))
        #expect(!starts("precheck", "chec"))
        #expect(!starts("myeenkey", "een"))
    }

    func near(_ text: String, _ word: String) -> Bool {
        let bytes = Array(text.utf8), w = Array(word.utf8)
        let at = (0...(bytes.count - w.count)).first { Array(bytes[$0..<($0 + w.count)]) == w }!
        return bytes.withUnsafeBytes { BufferScanner.secretWordNear($0, start: at, end: at + w.count) }
    }

    /// A vendor's name that is a common word (semaphore, linear) gates the named-value rules only with a
    /// secret word near it, in any case and on a neighbouring line.
    @Test func aVendorWordCountsWithASecretWordNearIt() {
        #expect(near("SEMAPHORE_API_TOKEN=1", "SEMAPHORE"))
        #expect(near("semaphore:\n  token: 1", "semaphore"))
        #expect(near("# Linear\nLINEAR_KEY=1", "Linear"))
        #expect(near("linearSecret = 1", "linear"))
        #expect(!near("let semaphore = DispatchSemaphore(value: 0)\nsemaphore.wait()", "semaphore"))
        let far = "linear interpolation" + String(repeating: " ", count: 200) + "api_key = 1"
        #expect(!near(far, "linear"))
    }
}

/// In a file over 16 KB the named values are read in windows around the gate words: a key in the middle of
/// a large file is found with its YAML parent, and a key file of the same size with no gate word costs nothing.
@Suite struct LargeFileWindowTests {
    @Test func aKeyInTheMiddleOfALargeFileIsFoundUnderItsParent() throws {
        let key = FakeKeys.alnum(32)
        let filler = (0..<600).map { "  setting_\($0): value number \($0) of the service\n" }.joined()
        let text = "service:\n" + filler + "shodan:\n  region: eu\n  timeout: 30\n  api_key: \"\(key)\"\n" + "other:\n" + filler
        #expect(text.utf8.count > 40_000)
        let found = try Engine.scan(text, path: "deploy/values.yaml").filter { $0.provider == "shodan" }
        #expect(found.map(\.secret) == [key], "\(found.map(\.ruleID))")
    }
}
