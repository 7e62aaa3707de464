import SecretScanner
import Testing

@Suite struct DecimalTextTests {
    @Test func fixedDecimals() {
        #expect(DecimalText.fixed(0, 1) == "0.0")
        #expect(DecimalText.fixed(1.25, 2) == "1.25")
        #expect(DecimalText.fixed(0.049, 1) == "0.0")
        #expect(DecimalText.fixed(0.05, 2) == "0.05")
        #expect(DecimalText.fixed(12.999, 2) == "13.00")
        #expect(DecimalText.fixed(3.14159, 1) == "3.1")
        #expect(DecimalText.fixed(537.0, 1) == "537.0")
    }
}
