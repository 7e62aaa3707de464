import FuzzSupport
@testable import GitRepository

/// The staged path's line diff on two versions cut from the input (the first byte says where): the ranges
/// are 1-based, ascending, apart and inside the new version, a line the old version does not have is always
/// among them, identical versions add nothing, and a small budget may give up but never gives another answer.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    let cut = rest.isEmpty ? 0 : Int(first) % (rest.count + 1)
    let old = Array(rest[..<cut]), new = Array(rest[cut...])
    func lines(_ b: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [], start = 0
        for (i, c) in b.enumerated() where c == 10 { out.append(Array(b[start...i])); start = i + 1 }
        if start < b.count { out.append(Array(b[start...])) }
        return out
    }
    let newLines = lines(new), oldSet = Set(lines(old))
    let added = old.withUnsafeBytes { o in new.withUnsafeBytes { n in LineDiff.addedLines(old: o, new: n) } }
    guard let added else { preconditionFailure("the default budget gave up on a fuzz-sized input") }
    var previous = 0
    for r in added {
        precondition(r.lowerBound > previous + 1 || (previous == 0 && r.lowerBound >= 1), "ranges overlap, touch or are out of order")
        precondition(r.upperBound <= newLines.count, "a range past the new version's last line")
        previous = r.upperBound
    }
    for (i, line) in newLines.enumerated() where !oldSet.contains(line) {
        precondition(added.contains { $0.contains(i + 1) }, "a line the old version does not have is not added")
    }
    let same = new.withUnsafeBytes { n in LineDiff.addedLines(old: n, new: n) }
    precondition(same == [], "identical versions add lines")
    if let small = old.withUnsafeBytes({ o in new.withUnsafeBytes { n in LineDiff.addedLines(old: o, new: n, budget: 64) } }) {
        precondition(small == added, "a small budget gave another answer")
    }
}

FuzzSupport.run(fuzzOne)
