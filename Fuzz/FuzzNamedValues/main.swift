import FuzzSupport
import Foundation
import NamedValues

/// The named-value extractors (assignments, structured files, markup, .properties, CSV and Markdown tables,
/// Dockerfile and .conf lines, expansions and strings inside strings). The first byte picks the file name, which picks the extractors.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let names = ["app.env", "application.properties", "keys.csv", "keys.tsv", "config.yaml", "Info.plist", "Dockerfile", "redis.conf",
                 "README.md"]
    let text = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[1...])
    for value in NamedValues.extract(text, path: names[Int(first) % names.count]) {
        precondition(value.range.lowerBound >= 0 && value.range.upperBound <= text.count, "a value outside the text")
        _ = value.keyPath
    }
}

FuzzSupport.run(fuzzOne)
