import Foundation
@testable import GitRepository
import Testing

/// Malformed `.git/index` files the fuzz target (Fuzz/FuzzGitIndex) found or aimed at: each is refused
/// (nil: the caller falls back to libgit2), never a crash, a huge allocation or a stack overflow.
@Suite struct IndexFileTests {
    /// A version 2 header with `count` entries and no entries after it, then `extensions`, then the
    /// 20-byte trailer.
    func index(count: UInt32, extensions: [UInt8] = []) -> [UInt8] {
        var bytes = Array("DIRC".utf8) + [0, 0, 0, 2]
        withUnsafeBytes(of: count.bigEndian) { bytes += $0 }
        return bytes + extensions + [UInt8](repeating: 0, count: 20)
    }

    func treeExtension(_ body: [UInt8]) -> [UInt8] {
        var bytes = Array("TREE".utf8)
        withUnsafeBytes(of: UInt32(body.count).bigEndian) { bytes += $0 }
        return bytes + body
    }

    /// Found by fuzzing: a header claiming billions of entries sized the entry arrays from the claim
    /// (200 GB) before reading any entry.
    @Test func aCountTheFileCannotHoldIsMalformed() {
        #expect(IndexFile(bytes: index(count: 0xD500_0004)) == nil)
        #expect(IndexFile(bytes: index(count: 1) + [UInt8](repeating: 0, count: 40)) == nil)
        #expect(IndexFile(bytes: index(count: 0)) != nil, "an empty index is fine")
    }

    @Test func aCachedTreeCountWithTooManyDigitsIsMalformedNotAnOverflow() throws {
        let body = Array("\u{0}99999999999999999999999 0\n".utf8)
        let parsed = try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(body))))
        #expect(parsed.cachedTree == nil)
    }

    @Test func aCachedTreeNestedTooDeeplyIsMalformedNotAStackOverflow() throws {
        let levels = IndexFile.maxTreeDepth + 10
        let body = [UInt8]((0..<levels).flatMap { _ in Array("d\u{0}-1 1\n".utf8) }) + Array("d\u{0}-1 0\n".utf8)
        let parsed = try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(body))))
        #expect(parsed.cachedTree == nil)
        let shallow = [UInt8]((0..<10).flatMap { _ in Array("d\u{0}-1 1\n".utf8) }) + Array("d\u{0}-1 0\n".utf8)
        #expect(try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(shallow)))).cachedTree != nil)
    }
}

extension IndexFileTests {
    /// Found by fuzzing (Fuzz/FuzzGitIndex): a version 4 entry whose prefix-compression varint ran long
    /// overflowed into a negative strip count, and slicing the previous path trapped.
    @Test func aLongPrefixVarintIsMalformedNotATrap() throws {
        let base64 = "RElSQwAAAAQAAAAEaxsMg90AAP4AAFOgnwAAgaQAAC5lbnYAAAAAAAAAaxCHFBsBAAyD3WsQhxQbDIPdAAD+AABToJ8AAIGkAAAAAAAAAAAAAAAC8q1sdvARWmulsARWqEmBDn7AryAADnNyYy9kZWVwL3gudHh0AAAAAFRSZGVlcC94LnR4dAAAAABUUkVFAAAAPwAtMTAg0wDCIQowYnJmVCS/yN1rEIcUGwyD3QAA4puy0dZD////////////////////////////////////////////////////////////////////////////////////////S4sprnda2MLkjFNrpbAEVqhJgQ5+wK8gAA5zcmMvZGVlcC94LnR4dAAARElSQwAAAFRSRUUAAAA/AC0xIA4Kc3JjAAACYXgHmCKNF68tNPzkz71TAAAAAAAAAAMAAAAEaxCHFBsAAAyDZWVwL3gudHh0AHNyYwA="
        let bytes = try #require(Data(base64Encoded: base64))
        #expect(IndexFile(bytes: [UInt8](bytes)) == nil)
    }
}
