/// Everything that can go wrong reading or writing a Zarr store or an HDF5 file, with the store
/// or file, the chunk key or dataset, and what was expected named in the message.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// A Zarr array we cannot read or write: `store` is the array's directory, `key` the chunk
    /// key (or metadata file) involved, if any.
    case zarr(store: String, key: String?, reason: String)
    /// An HDF5 file or dataset we cannot read.
    case hdf5(file: String, dataset: String?, reason: String)

    public var description: String {
        switch self {
        case let .zarr(store, key, why):
            return key.map { "zarr array \(store), \($0): \(why)" } ?? "zarr array \(store): \(why)"
        case let .hdf5(file, dataset, why):
            return dataset.map { "hdf5 file \(file), dataset \($0): \(why)" } ?? "hdf5 file \(file): \(why)"
        }
    }
}

/// A codec failure before the caller knows the store and key; the reader wraps it into
/// `StorageError` naming them.
struct CodecError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
