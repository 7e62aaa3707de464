import Credentials
import Hashing
public import Foundation
public import GitRepository
import Synchronization
import SystemSupport

/// Scanning git sources: staged changes, commit ranges and whole histories.
extension ScanSession {
    /// Scans what is staged for commit; findings are kept only where they touch an added line.
    public func scanStaged(_ repository: GitRepository, paths: [String] = []) throws(GitError) -> ScanResult {
        let start = Date()
        var result = scanStaged(try repository.stagedChanges(paths: paths, maxBlobSize: options.sizeLimit))
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// Scans staged changes already read (`StagedPrefetch`).
    public func scanStaged(_ staged: StagedChanges) -> ScanResult {
        let start = Date()
        var result = ScanResult()
        let scanner = BufferScanner(rules, fingerprinter: fingerprinter)
        for file in staged.files {
            scanChanged(file, commit: nil, scanner: scanner, into: &result)
        }
        result.skipped += staged.skipped.map { ScanNote($0.reason.noteReason, path: $0.path, $0.reason.description) }
        result.errors += staged.errors.map { ScanNote(.git, $0.message) }
        result.warnings += scanner.warnings
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// Scans the changes each commit of `commits` introduced, each finding with its commit.
    public func scanCommits(_ repository: GitRepository, _ commits: [CommitInfo]) -> ScanResult {
        let start = Date()
        var result = ScanResult()
        let scanner = BufferScanner(rules, fingerprinter: fingerprinter)
        for commit in commits {
            let changes: CommitChanges
            do { changes = try repository.changes(in: commit.id, maxBlobSize: options.sizeLimit) } catch {
                result.errors.append(ScanNote(.git, error.message)); continue
            }
            if changes.isShallowBoundary {
                result.warnings.append(ScanNote(.shallowHistory, "shallow clone: commit \(commit.id.hex.prefix(12)) is at the shallow boundary "
                                                + "(its parents are not in this repository), so everything it holds was scanned as added"))
            }
            for file in changes.files { scanChanged(file, commit: commit, scanner: scanner, into: &result) }
            result.skipped += changes.skipped.map {
                ScanNote($0.reason.noteReason, path: "\($0.path) in \(commit.id.hex.prefix(12))", $0.reason.description)
            }
            result.errors += changes.errors.map { ScanNote(.git, $0.message) }
        }
        result.warnings += scanner.warnings
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    private func scanChanged(_ file: ChangedFile, commit: CommitInfo?, scanner: BufferScanner, into result: inout ScanResult) {
        if file.content.count > options.sizeLimit {
            result.skipped.append(ScanNote(.tooLarge, path: file.path, options.tooLargeDetail(file.content.count)))
            return
        }
        let context = InputContext(path: file.path, lineFilter: file.addedLines, commit: commit?.id.hex)
        let content = file.content.withUnsafeBytes { Self.scanContent($0, context, scanner: scanner, options: options) }
        var found = content.findings
        if let commit {
            for i in found.indices { found[i].git = GitProvenance(commit) }
        }
        result.findings += found
        result.skipped += content.skipped
        result.errors += content.errors
        result.warnings += content.warnings
        if content.scanned {
            result.filesScanned += 1
            result.bytesScanned += file.content.count
        }
    }

    /// Scans every unique blob of a history once (in parallel, one repository per worker), then reports
    /// each distinct secret once per path with the first commit that introduced it.
    ///
    /// - Parameters:
    ///   - cache: keep what this scan learnt in the repository's `keywarden/` folder and start from what an
    ///     earlier scan learnt there (see ``HistoryCache``); nil: a full scan that writes nothing. The
    ///     findings are the same either way.
    ///   - open: opens a fresh repository for one worker (libgit2 handles are not shared).
    ///   - progress: called about four times a second from another thread, and once at the end (nil: no
    ///     progress reporting).
    public func scanHistory(_ repository: GitRepository, branch: String?, cache: HistoryCacheSettings? = nil,
                            progress: (@Sendable (HistoryProgress) -> Void)? = nil,
                            open: @Sendable () throws(GitError) -> GitRepository) throws(GitError) -> ScanResult {
        let start = Date()
        let ticker = progress.map { ProgressTicker(report: $0) }
        defer { ticker?.stop() }
        var cacheNotes: [ScanNote] = []
        var opened: (store: HistoryCacheStore, previous: HistoryCache?)?
        if let cache {
            let identity = HistoryCache.identity(settings: cache, rulesDigest: self.rules.ruleSet.digest, options: options, branch: branch)
            opened = HistoryCacheStore.open(commonDirectory: repository.commonDirectory, identity: identity, seal: cache.seal,
                                            notes: &cacheNotes)
        }
        let store = opened?.store, previous = opened?.previous
        // The packs are opened, and every entry's delta base read, on another thread while the plan's commit
        // walk (one thread) runs: the reading order then reads no pack header of its own. Without an earlier
        // scan every blob will be read, so once the packs are open a second thread ranks all their entries for
        // the reading order (``PackedObjects/readingRanks()``), still beside the walk.
        let objectsDirectory = repository.objectsDirectory
        let full = previous == nil
        let opening = BackgroundResult<PackedObjects, Never> { PackedObjects(objectsDirectory: objectsDirectory) }
        let ranking = full ? BackgroundResult<Void, Never> { _ = opening.result().readingRanks() } : nil
        let plan = try repository.historyPlan(branch: branch, reusing: previous?.snapshot, packs: { opening.result() })
        ranking?.result()
        let planned = Date()
        let blobs = plan.blobs
        var work = HistoryWork(count: blobs.count)
        if let previous { work.plan(blobs, from: previous) } else { work.toRead = Array(blobs.indices) }
        let packs = opening.result()
        let packNotes = packs.notes
        let order = plan.readingOrder(work.toRead, packs: packs)
        PhaseClock.mark("history: reading order")
        ticker?.commits.store(plan.commitCount, ordering: .relaxed)
        ticker?.blobsTotal.store(order.count, ordering: .relaxed)
        ticker?.readingStart.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        let collected = Mutex<(findings: [(Int, String, [Finding])], skipped: [ScanNote], errors: [ScanNote],
                               warnings: [ScanNote], files: Int, bytes: Int, status: [(Int, HistoryCache.Status)])>(([], [], [], [], 0, 0, []))
        let opts = options, rules = self.rules, fingerprinter = self.fingerprinter
        let partial = work.partial
        WorkerPool(threads: options.threads, atMost: max(1, order.count / 64)).run(count: order.count, chunk: 256) { _, claim in
            let worker: GitRepository
            do { worker = try open() } catch {
                let message = "\(error)"
                collected.withLock { $0.errors.append(ScanNote(.git, message)) }
                return
            }
            let scanner = BufferScanner(rules, fingerprinter: fingerprinter)
            scanner.fingerprintsSideBySide = false   // one of several workers
            scanner.readsJoinedLiterals = false
            // Blobs in packs are read by keywarden's own reader; loose ones, and any it cannot read exactly,
            // through libgit2.
            let reader = PackedObjectReader(packs)
            var found: [(Int, String, [Finding])] = []
            var skipped: [ScanNote] = [], errors: [ScanNote] = [], warnings: [ScanNote] = []
            var status: [(Int, HistoryCache.Status)] = []
            var files = 0, bytes = 0
            /// Scans blob `i`'s content at each of its paths (still to scan); returns what the cache should remember.
            func scan(_ buffer: UnsafeRawBufferPointer, _ i: Int, _ blob: HistoryBlob) -> HistoryCache.Status {
                if buffer.count > opts.sizeLimit {
                    skipped.append(ScanSession.historySkipNote(.tooLarge, blob, detail: opts.tooLargeDetail(buffer.count)))
                    return .tooLarge
                }
                // UTF-16 text and archives look binary but are read (decoded, member by member).
                let readable = UTF16Text.order(of: buffer) != nil || (opts.archives.depth > 0 && ArchiveSignature.isArchive(buffer))
                if !opts.includeBinary, !readable, ScanSession.looksBinary(buffer) {
                    skipped.append(ScanSession.historySkipNote(.binary, blob)); return .binary
                }
                if BlobContent.isLFSPointer(buffer.prefix(64)) {
                    skipped.append(ScanSession.historySkipNote(.lfsPointer, blob)); return .lfsPointer
                }
                files += 1; bytes += buffer.count
                ticker?.bytes.add(buffer.count, ordering: .relaxed)
                var outcome = HistoryCache.Status.scanned
                for path in partial[i] ?? blob.paths {
                    let notesBefore = scanner.warnings.count
                    let content = ScanSession.scanContent(buffer, InputContext(path: path), scanner: scanner, options: opts)
                    if !content.findings.isEmpty { found.append((i, path, content.findings)) }
                    if scanner.warnings.count != notesBefore { outcome = .unknown }
                    // A blob whose scan left a note (an archive member skipped, a rule that gave up) is not
                    // remembered as scanned: the next scan reads it again and says so again.
                    if !content.skipped.isEmpty || !content.warnings.isEmpty || !content.errors.isEmpty { outcome = .unknown }
                    skipped += content.skipped
                    warnings += content.warnings
                    errors += content.errors.map { ScanNote($0.reason, path: "\($0.path ?? path) (blob \(blob.id.hex.prefix(12)))", $0.detail) }
                }
                return outcome
            }
            while let claimed = claim() {
                for k in claimed {
                    let i = order[k]
                    let blob = blobs[i]
                    var outcome = HistoryCache.Status.unknown
                    defer {
                        status.append((i, outcome))
                        ticker?.blobsDone.add(1, ordering: .relaxed)
                    }
                    switch reader?.withObject(blob.id, type: .blob, sizeLimit: opts.sizeLimit, { outcome = scan($0, i, blob) }) {
                    case .read?:
                        continue
                    case .tooLarge(let size)?:
                        skipped.append(ScanSession.historySkipNote(.tooLarge, blob, detail: opts.tooLargeDetail(size))); outcome = .tooLarge
                        continue
                    case .unavailable?, nil:
                        break
                    }
                    do {
                        // The size from the object header first: a blob over the limit is never inflated.
                        let size = try worker.blobSize(blob.id)
                        if size > opts.sizeLimit {
                            skipped.append(ScanSession.historySkipNote(.tooLarge, blob, detail: opts.tooLargeDetail(size))); outcome = .tooLarge
                            continue
                        }
                        try worker.withBlob(blob.id) { (buffer) throws(GitError) in outcome = scan(buffer, i, blob) }
                    } catch {
                        errors.append(ScanNote(.git, "\(error)"))
                    }
                }
            }
            let w = scanner.warnings + warnings
            collected.withLock {
                $0.findings += found; $0.skipped += skipped; $0.errors += errors; $0.warnings += w
                $0.files += files; $0.bytes += bytes; $0.status += status
            }
        }
        let all = collected.withLock { $0 }
        var result = ScanResult()
        result.filesScanned = all.files
        result.bytesScanned = all.bytes
        result.skipped = work.skippedBefore + all.skipped
        result.errors = plan.errors.map { ScanNote(.git, $0.message) } + all.errors
        result.warnings = cacheNotes + packNotes.map { ScanNote(.git, $0) } + all.warnings
        if plan.isShallow {
            result.warnings.append(ScanNote(.shallowHistory, "shallow clone: commits before the shallow boundary are not in this repository and were not scanned"))
        }
        let scanned = Date()
        let found = all.findings.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        result.findings = try attributeHistory(found, plan: plan, repository: repository)
        if let store {
            for (i, status) in all.status { work.status[i] = status }
            if plan.errors.isEmpty, previous == nil || work.learnt || plan.reusedCommits != plan.commitCount
                || plan.commitCount != previous?.snapshot.commits.count {
                let fresh = HistoryCache(plan: plan, status: work.status, found: found)
                do { _ = try store.replace(with: fresh) } catch {
                    result.warnings.append(ScanNote(.other, "the history cache could not be written (the next scan is a full one): \(error.message)"))
                }
            } else {
                store.markUsed()
            }
            result.historyCache = "history cache: \(plan.reusedCommits) of \(plan.commitCount) commits and "
                + "\(blobs.count - work.toRead.count + work.rescans) of \(blobs.count) blobs known from the last scan; "
                + "\(order.count) blob\(order.count == 1 ? "" : "s") read (\(work.rescans) again for their findings)"
        }
        result.seconds = Date().timeIntervalSince(start)
        if PhaseClock.isEnabled {
            let phases = String(format: "plan %.2f s, read and scan %.2f s, provenance %.2f s",
                                planned.timeIntervalSince(start), scanned.timeIntervalSince(planned), Date().timeIntervalSince(scanned))
            result.warnings.append(ScanNote(.other, "timing: " + phases))
        }
        return result
    }

    /// The note for a blob of a history that is not scanned; the same whether the blob was read now or is
    /// known from the history cache.
    static func historySkipNote(_ status: HistoryCache.Status, _ blob: HistoryBlob, detail: String? = nil) -> ScanNote {
        let name = blob.paths.first ?? blob.id.hex
        switch status {
        case .binary: return ScanNote(.binary, path: name, ScanSession.binaryReason)
        case .lfsPointer: return ScanNote(.notContent, path: name, "Git LFS pointer")
        default: return ScanNote(.tooLarge, path: "\(name) (blob \(blob.id.hex.prefix(12)))", detail ?? "larger than the size limit")
        }
    }

    /// One finding per (rule, secret, path): the earliest commit, the commits carrying it summed over
    /// the blobs that hold it, and whether the tip still has it.
    private func attributeHistory(_ found: [(Int, String, [Finding])], plan: HistoryPlan,
                                  repository: GitRepository) throws(GitError) -> [Finding] {
        let pairs = found.map { BlobPath(blob: plan.blobs[$0.0].id, path: $0.1) }
        let origins = try repository.provenance(of: pairs, in: plan)
        var byPair: [BlobPath: Provenance] = [:]
        for o in origins { byPair[BlobPath(blob: o.blob, path: o.path)] = o }
        struct Key: Hashable { let rule: String; let fingerprint: String; let path: String }
        var best: [Key: (finding: Finding, position: Int, count: Int, inHead: Bool)] = [:]
        var order: [Key] = []
        for (blobIndex, path, findings) in found {
            guard let origin = byPair[BlobPath(blob: plan.blobs[blobIndex].id, path: path)] else { continue }
            var seenInBlob = Set<Key>()
            for f in findings {
                let key = Key(rule: f.ruleID, fingerprint: f.fingerprint, path: path)
                guard seenInBlob.insert(key).inserted else { continue }
                var g = GitProvenance(origin.firstCommit)
                g.inHead = origin.isInTip
                var finding = f
                finding.git = g
                if let existing = best[key] {
                    let earlier = origin.firstCommitPosition < existing.position
                    best[key] = (earlier ? finding : existing.finding, min(existing.position, origin.firstCommitPosition),
                                 existing.count + origin.commitCount, existing.inHead || origin.isInTip)
                } else {
                    best[key] = (finding, origin.firstCommitPosition, origin.commitCount, origin.isInTip)
                    order.append(key)
                }
            }
        }
        return order.compactMap { key in
            guard let entry = best[key] else { return nil }
            var finding = entry.finding
            finding.git?.inHead = entry.inHead
            finding.git?.occurrences = entry.count
            return finding
        }.sorted {
            // A total order: the report does not depend on the order the blobs were read in.
            ($0.git?.date ?? "", $0.path, $0.line, $0.column, $0.ruleID, $0.fingerprint)
                < ($1.git?.date ?? "", $1.path, $1.line, $1.column, $1.ruleID, $1.fingerprint)
        }
    }
}

extension GitProvenance {
    /// The provenance fields of a commit; the date is the author date in ISO 8601 with the author's
    /// offset, e.g. `2024-03-01T12:00:00+01:00`.
    public init(_ commit: CommitInfo) {
        self.init(commit: commit.id.hex, author: commit.authorName, email: commit.authorEmail,
                  date: CivilDate.iso8601(unixSeconds: commit.authorTime, offsetMinutes: commit.authorTimeZoneMinutes),
                  message: commit.summary)
    }
}

extension FileWalker {
    /// The files git would consider under each root that lies in a git work tree (tracked, and
    /// untracked but not ignored; no symbolic links or `.git`), reported relative to the root as given,
    /// like the plain walk. Roots outside any work tree (or in a bare repository) are handed back in
    /// `plainRoots` for the plain walk.
    ///
    /// Submodules and nested repositories are not entered unless `recurseSubmodules`; each one is then a
    /// note in `skipped`, so a scan says what it did not look at. With `recurseSubmodules` each checked-out
    /// one is listed as a repository of its own (its tracked and untracked, not ignored files, and its own
    /// inner repositories, to a depth of 16), its files under its path; one that is not checked out is a note.
    public static func gitWorkTreeFiles(under roots: [String], recurseSubmodules: Bool = false)
        -> (entries: [Entry], plainRoots: [String], errors: [ScanNote], skipped: [ScanNote]) {
        var entries: [Entry] = []
        var plain: [String] = []
        var errors: [ScanNote] = []
        var skipped: [ScanNote] = []
        for root in roots {
            guard let repository = try? GitRepository.open(at: root), repository.workTreeRoot != nil else {
                plain.append(root); continue
            }
            var files: [WorkTreeFile]
            let listing: WorkTreeListing
            do {
                listing = try repository.workTreeListing(under: [root])
            } catch {
                if error.code == .outsideWorkTree { plain.append(root) } else { errors.append(ScanNote(.git, error.message)) }
                continue
            }
            files = listing.files
            var inner = listing.repositories
            if recurseSubmodules {
                var seen: Set<String> = [repository.workTreeRoot ?? ""]
                let more = innerRepositoryFiles(listing.repositories, depth: 1, seen: &seen, errors: &errors)
                files += more.files
                inner = more.notEntered
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                entries += files.map { Entry(path: $0.absolutePath, displayPath: root) }
                continue
            }
            let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
            let prefix = base.hasSuffix("/") ? base : base + "/"
            func shown(_ absolute: String, _ fallback: String) -> String {
                let relative = absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : fallback
                return root == "." ? relative : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
            }
            for file in files {
                let display = shown(file.absolutePath, file.path)
                // The shown path is valid from the current directory too, and shorter to resolve.
                entries.append(Entry(path: file.absolutePath.hasPrefix(prefix) ? display : file.absolutePath, displayPath: display))
            }
            for r in inner {
                skipped.append(ScanNote(.notContent, path: shown(r.absolutePath, r.path), Self.innerRepositoryNote(r, recursing: recurseSubmodules)))
            }
        }
        return (entries, plain, errors, skipped)
    }

    /// Why an inner repository was not scanned.
    static func innerRepositoryNote(_ r: InnerRepository, recursing: Bool) -> String {
        switch (r.kind, r.isCheckedOut, recursing) {
        case (.submodule, false, _): "submodule not checked out, nothing to scan (git submodule update --init checks it out)"
        case (.submodule, true, false): "submodule not scanned (--recurse-submodules scans it)"
        case (.nestedRepository, _, false): "nested git repository not scanned (--recurse-submodules scans it)"
        case (_, _, true): "repository not scanned: nested more than 16 deep, or its work tree is elsewhere"
        }
    }

    /// The files of each checked-out inner repository (and of theirs, recursively), with absolute paths;
    /// the inner repositories not entered (not checked out, too deep, a loop).
    private static func innerRepositoryFiles(_ repositories: [InnerRepository], depth: Int, seen: inout Set<String>,
                                             errors: inout [ScanNote]) -> (files: [WorkTreeFile], notEntered: [InnerRepository]) {
        var files: [WorkTreeFile] = []
        var notEntered: [InnerRepository] = []
        for r in repositories {
            guard r.isCheckedOut, depth <= 16 else { notEntered.append(r); continue }
            let repository: GitRepository
            do { repository = try GitRepository.open(at: r.absolutePath) } catch {
                errors.append(ScanNote(.git, path: r.absolutePath, error.message)); continue
            }
            // Its own work tree must be this very directory (a .git file could point anywhere).
            guard let root = repository.workTreeRoot, root == r.absolutePath,
                  seen.insert(root).inserted else {
                notEntered.append(r); continue
            }
            let listing: WorkTreeListing
            do { listing = try repository.workTreeListing() } catch {
                errors.append(ScanNote(.git, path: r.absolutePath, error.message)); continue
            }
            files += listing.files.map { WorkTreeFile(path: r.path + "/" + $0.path, absolutePath: r.absolutePath + "/" + $0.path, isTracked: $0.isTracked) }
            let deeper = innerRepositoryFiles(listing.repositories.map {
                InnerRepository(path: r.path + "/" + $0.path, absolutePath: $0.absolutePath, kind: $0.kind, isCheckedOut: $0.isCheckedOut)
            }, depth: depth + 1, seen: &seen, errors: &errors)
            files += deeper.files
            notEntered += deeper.notEntered
        }
        return (files, notEntered)
    }
}

extension SkippedFile.Reason {
    /// The scan note reason for a git entry that is not scanned.
    var noteReason: ScanNote.Reason {
        switch self {
        case .binary: .binary
        case .symlink: .symbolicLink
        case .submodule, .lfsPointer, .conflict: .notContent
        case .tooLarge: .tooLarge
        }
    }
}
