import Glibc

/// The one place that talks to the notify socket: builds the address, sends a datagram and turns a
/// failed call into a ``NotifyError`` while `errno` is still fresh.
enum UnixDatagram {
    static func send(_ bytes: [UInt8], to path: String) throws(NotifyError) {
        var (address, length) = try socketAddress(path)
        let socketType = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_UNIX, socketType, 0)
        guard descriptor >= 0 else { throw NotifyError(operation: "socket AF_UNIX", errno: errno) }
        defer { close(descriptor) }

        var sent: Int
        repeat {
            sent = bytes.withUnsafeBytes { buffer in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                        // MSG_NOSIGNAL: a vanished reader must not raise SIGPIPE in the daemon.
                        sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                    }
                }
            }
        } while sent < 0 && errno == EINTR
        guard sent >= 0 else { throw NotifyError(operation: "sendto \(path)", errno: errno) }
        // A datagram is sent whole or not at all; a short count would mean a broken kernel.
        guard sent == bytes.count else { throw NotifyError(operation: "sendto \(path)", errno: EMSGSIZE) }
    }

    /// The `sockaddr_un` for `path` and its length; `@name` is `name` in the abstract namespace.
    static func socketAddress(_ path: String) throws(NotifyError) -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        switch name.first {
        case UInt8(ascii: "@"):
            name[0] = 0
        case UInt8(ascii: "/"):
            // A path in the file system is NUL-terminated inside sun_path.
            name.append(0)
        default:
            throw NotifyError(operation: "NOTIFY_SOCKET=\(path) is neither an absolute path nor @name", errno: EINVAL)
        }
        guard name.count <= MemoryLayout.size(ofValue: address.sun_path) else {
            throw NotifyError(operation: "NOTIFY_SOCKET=\(path)", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        // An abstract name is exactly its bytes (a trailing NUL would be part of it); a path counts
        // its NUL, as systemd's own sd_notify does.
        return (address, socklen_t(pathOffset + name.count))
    }
}
