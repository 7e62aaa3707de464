internal import CSystemFacts

/// Facts about file systems the C library gives.
public enum FileSystem {
    /// The type of the file system `path` is on (the `f_type` magic number of statfs: 0xEF53 for ext2/3/4), or nil.
    public static func type(of path: String) -> Int64? {
        let kind = keywarden_file_system_type(path)
        return kind < 0 ? nil : Int64(kind)
    }
}
