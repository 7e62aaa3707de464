#if canImport(Glibc)
import Glibc
#endif

/// libgit2 maps the pack files and pack indexes it reads (keywarden's own readers of `.git/index`, pack
/// indexes and its caches read instead). A file that another process truncates while it is mapped raises
/// SIGBUS at the next read of a page past its new end, and the default action kills the process: a hook or
/// CI job would see a crash, or a status it does not know, instead of an incomplete scan. The handler
/// turns the signal into keywarden's error exit, 2, with a message saying why. (Nothing can resume the
/// read that faulted, so the run ends; only `write` and `_exit`, which are safe in a signal handler, run.)
enum MappedFileGuard {
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let message: StaticString = """
                keywarden: error: a file keywarden had mapped (a git pack or pack index) shrank or changed while \
                it was being read (SIGBUS); the scan is incomplete. Run it again once nothing rewrites the repository.

                """
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(2)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        _ = sigaction(SIGBUS, &action, nil)
    }
}
