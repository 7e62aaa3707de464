@testable import SecretScanner
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
