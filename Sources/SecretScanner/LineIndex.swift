/// Offsets of the newlines in a buffer, built on first use, for turning byte offsets into lines and columns.
struct LineIndex {
    private let buffer: UnsafeRawBufferPointer
    private var newlines: [Int]?

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    private mutating func build() -> [Int] {
        if let newlines { return newlines }
        var out = [Int]()
        if let base = buffer.baseAddress {
            var offset = 0
            while offset < buffer.count, let hit = memchr(base + offset, 0x0A, buffer.count - offset) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                out.append(at)
                offset = at + 1
            }
        }
        newlines = out
        return out
    }

    /// 1-based line and column (in bytes) of `offset`.
    mutating func position(of offset: Int) -> (line: Int, column: Int) {
        let nl = build()
        var lo = 0, hi = nl.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if nl[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        let lineStart = lo == 0 ? 0 : nl[lo - 1] + 1
        return (lo + 1, offset - lineStart + 1)
    }

    /// The byte range from the start of the line holding `start` to the end of the line holding `end - 1`
    /// (without the newline), capped at 4 KiB either side so a huge single line stays cheap.
    func lineBounds(containing start: Int, upTo end: Int) -> Range<Int> {
        var lo = start
        let floor = max(0, start - 4096)
        while lo > floor, buffer[lo - 1] != 0x0A { lo -= 1 }
        var hi = max(end, start)
        let ceiling = min(buffer.count, hi + 4096)
        while hi < ceiling, buffer[hi] != 0x0A { hi += 1 }
        return lo..<hi
    }

    /// The text of ``lineBounds(containing:upTo:)``: the lines holding `start..<end`, for inline allow markers
    /// and the words around a finding.
    func lineText(containing start: Int, upTo end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[lineBounds(containing: start, upTo: end)]), as: UTF8.self)
    }
}

import Foundation
