import Glibc

/// A failed system call on the way to systemd, with the `errno` it left behind.
///
/// Nothing in this module stops the daemon over it: the callers log the error and carry on, since
/// a missed notification is systemd's problem to time out on, not a reason to drop sensor data.
public struct NotifyError: Error, Equatable, CustomStringConvertible {
    /// What was attempted, e.g. `sendto /run/systemd/notify`.
    public var operation: String
    public var errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
