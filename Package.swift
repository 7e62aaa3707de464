// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Swift settings for every first-party target.
///
/// `-disable-concrete-type-metadata-mangled-name-accessors`: the type metadata of a concrete generic type
/// (`Set<String>`, `[Finding]`) is made by a call to its accessor instead of the runtime demangling the type's
/// mangled name on first use. perf put that demangling at about 6% of a staged scan's CPU (about 2 ms), for a
/// binary 0.1% larger.
let strict: [SwiftSetting] = [.enableUpcomingFeature("InternalImportsByDefault"),
                              .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]

let package = Package(
    name: "keywarden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keywarden", targets: ["keywarden"]),
        .library(name: "SecretScanner", targets: ["SecretScanner"]),
        .library(name: "KeyAge", targets: ["KeyAge"]),
        .library(name: "Webhooks", targets: ["Webhooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries, each imported only by wrapper modules (OpenSSL by Hashing and Verification, each of the
        // others by exactly one): a module map and a shim header each; libgit2 and libarchive are C targets
        // holding their headers and forwarders to the library loaded on first use (dlopen), so a run that
        // opens no repository (or no archive) never loads it or the libraries it pulls in.
        .target(name: "CLibraryLoader"),
        // ca_bundle.c's two stand-ins must be visible to the dynamic linker from whatever executable links
        // this target (the keywarden binary, the test bundle) for libgit2 to bind to them.
        .target(name: "CLibGit2", dependencies: ["CLibraryLoader"],
                linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=mbedtls_x509_crt_parse_file",
                                               "-Xlinker", "--export-dynamic-symbol=mbedtls_x509_crt_parse_path"])]),
        // OpenSSL's libcrypto, for SHA-2 only (Hashing), linked from its static archive; its TLS library is
        // loaded on first use (CLibSSL) like libgit2 and libarchive.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .target(name: "CLibSSL", dependencies: ["CLibraryLoader"]),
        // Vectorscan (its header from <hs/hs.h>) and PCRE2, linked from their static archives by PatternMatching: no
        // dynamic linking for them at start-up (docs/install.md).
        .systemLibrary(name: "CVectorscan", providers: [.apt(["libvectorscan-dev"])]),
        .systemLibrary(name: "CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "CLibArchive", dependencies: ["CLibraryLoader"]),
        // libdeflate inflates pack entries for history scans; linked from its static archive (the module map
        // names no library), so the binary needs no libdeflate at run time.
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        // PBKDF2-HMAC-SHA256 rounds for two passwords at once on the CPU's SHA extensions (Hashing's fingerprints).
        .target(name: "CDigestLanes"),
        // Threads started on a core other than their creator's (SystemSupport's worker pool and background work).
        .target(name: "CThreadStart"),
        // The running program's GNU build id (SystemSupport's BuildIdentity, which keys caches of this build's own
        // work) and a file system's type (which cache folders keep change times).
        .target(name: "CSystemFacts"),
        // Byte-class scans in vector code (SSE2): where base64 runs may be (SecretScanner's Base64Runs).
        .target(name: "CByteScan"),

        // POSIX helpers every module may use: the error protocol, atomic file writes, the worker pool,
        // the directory walker, the terminal styler.
        .target(name: "SystemSupport", dependencies: ["CThreadStart", "CSystemFacts"], swiftSettings: strict),

        // Wrappers: the only places that touch C.
        .target(name: "Hashing", dependencies: ["CDigestLanes", "COpenSSL", "SystemSupport"], swiftSettings: strict,
                linkerSettings: [.linkedLibrary(":libcrypto.a")]),
        .target(name: "PatternMatching", dependencies: ["CVectorscan", "CPCRE2", "Hashing", "SystemSupport"], swiftSettings: strict,
                linkerSettings: [.linkedLibrary(":libhs.a"), .linkedLibrary(":libpcre2-8.a")]),
        .target(name: "GitRepository", dependencies: ["CLibGit2", "CDeflate", "SystemSupport"], swiftSettings: strict,
                linkerSettings: [.linkedLibrary(":libdeflate.a")]),
        // Archive members (zip, tar, gzip, container image tarballs) read from memory with libarchive.
        .target(name: "Archives", dependencies: ["CLibArchive", "SystemSupport"], swiftSettings: strict),
        // Live verification of found keys: a small HTTP/1.1 client over POSIX sockets and the system's libssl.
        .target(name: "Verification", dependencies: ["CLibSSL", "Credentials", "SystemSupport"], swiftSettings: strict),

        // Pure Swift libraries.
        .target(name: "Credentials", swiftSettings: strict),
        // Named values (name or key path, value, place) in the syntaxes secrets live in; knows nothing of rules.
        .target(name: "NamedValues", swiftSettings: strict),
        .target(
            name: "SecretRules",
            dependencies: ["TOMLKit", "Credentials", "Hashing", "SystemSupport"],
            swiftSettings: strict,
            plugins: ["EmbedRules"]
        ),
        .target(
            name: "SecretScanner",
            dependencies: ["SecretRules", "PatternMatching", "Hashing", "Credentials", "GitRepository", "KeyAge", "Verification", "SystemSupport", "NamedValues", "Archives", "CByteScan"],
            swiftSettings: strict
        ),
        .target(
            name: "ScanReporting",
            dependencies: ["SecretScanner", "SecretRules", "Hashing", "Verification", "SystemSupport"],
            swiftSettings: strict
        ),
        .target(name: "KeyAge", dependencies: ["Hashing", "Credentials", "TOMLKit", "SystemSupport"], swiftSettings: strict),
        .target(name: "Webhooks", dependencies: ["Hashing", "SystemSupport"], swiftSettings: strict),
        .target(
            name: "Hygiene",
            dependencies: ["GitRepository", "KeyAge", "Hashing", "Credentials", "SecretRules", "SystemSupport"],
            swiftSettings: strict
        ),

        // The command line.
        .executableTarget(
            name: "keywarden",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "SecretScanner", "ScanReporting", "KeyAge", "Webhooks", "GitRepository", "Hashing", "Hygiene", "Verification",
                "SecretRules", "TOMLKit", "SystemSupport",
            ],
            swiftSettings: strict
        ),

        // Embeds rules/*.toml into the SecretRules module at build time.
        .executableTarget(name: "RuleEmbedder", swiftSettings: strict),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["RuleEmbedder"]),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Hashing", "Credentials", "SystemSupport"], path: "Tests/TestSupport"),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "TestSupport"]),
        .testTarget(name: "CredentialsTests", dependencies: ["Credentials", "TestSupport"]),
        .testTarget(name: "PatternMatchingTests", dependencies: ["PatternMatching"]),
        .testTarget(name: "NamedValuesTests", dependencies: ["NamedValues"]),
        .testTarget(name: "SecretRulesTests", dependencies: ["SecretRules", "TestSupport"]),
        // The gitleaks config fixture is read from the source tree (#filePath), not bundled.
        .testTarget(name: "SecretScannerTests", dependencies: ["SecretScanner", "TestSupport", "Credentials"], exclude: ["Fixtures/gitleaks"]),
        .testTarget(name: "KeyAgeTests", dependencies: ["KeyAge", "TestSupport"]),
        .testTarget(name: "WebhooksTests", dependencies: ["Webhooks", "TestSupport"]),
        .testTarget(name: "GitRepositoryTests", dependencies: ["GitRepository", "SystemSupport", "TestSupport"]),
        .testTarget(name: "HygieneTests", dependencies: ["Hygiene", "KeyAge", "GitRepository", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Hashing", "SystemSupport"]),
        .testTarget(name: "VerificationTests", dependencies: ["Verification", "TestSupport"]),
        .testTarget(name: "HookTests", dependencies: ["TestSupport"]),
        // In-process tests of the command line's own code (`@testable import keywarden`).
        .testTarget(name: "CommandLineTests", dependencies: ["keywarden"]),
        .testTarget(
            name: "ScanReportingTests",
            dependencies: ["ScanReporting", "SecretScanner", "SecretRules", "Hashing", "TestSupport"],
            resources: [.copy("Resources")]
        ),
    ]
)

// libFuzzer targets for the parsers of untrusted bytes (Fuzz/, `make fuzz`): only with KEYWARDEN_FUZZ=1, on
// their own scratch path, so normal builds never see them. The first-party code is built with the fuzzer
// and address sanitizers through the manifest, not `-Xswiftc`, so that the rule-embedding build tool stays
// an ordinary program; lld links (gold stops with an internal error on these objects).
if ProcessInfo.processInfo.environment["KEYWARDEN_FUZZ"] == "1" {
    let sanitize: [String] = ["-sanitize=fuzzer,address"]
    for target in package.targets where [.regular, .executable].contains(target.type) && target.name != "RuleEmbedder" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitize)]
    }
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzRulesTOML", ["SecretRules"]),
        ("FuzzLedger", ["KeyAge"]),
        ("FuzzJWT", ["Credentials"]),
        ("FuzzWebhookSignature", ["Webhooks"]),
        ("FuzzGitIndex", ["GitRepository"]),
        ("FuzzGitTree", ["GitRepository"]),
        ("FuzzPackOrder", ["GitRepository"]),
        ("FuzzLineDiff", ["GitRepository"]),
        ("FuzzHTTPResponse", ["Verification"]),
        ("FuzzNamedValues", ["NamedValues"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: [.unsafeFlags(sanitize)]))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/\(name)",
                                                 swiftSettings: [.unsafeFlags(sanitize)],
                                                 linkerSettings: [.unsafeFlags(sanitize + ["-use-ld=lld"])]))
    }
}
