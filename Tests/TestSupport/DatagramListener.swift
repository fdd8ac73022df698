import Glibc

/// The receiving end of a notify socket, written independently of the module under test so that
/// a wrong address (say, a NUL too many on an abstract name) cannot cancel out on both sides.
public final class DatagramListener: @unchecked Sendable {
    /// What `NOTIFY_SOCKET` should say: a path, or `@name` for the abstract namespace.
    public let notifySocket: String
    private let descriptor: Int32

    public struct SocketError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(notifySocket: String) throws {
        self.notifySocket = notifySocket
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(description: "socket: errno \(errno)") }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(notifySocket.utf8)
        let length: Int
        if name.first == UInt8(ascii: "@") {
            name[0] = 0
            length = 2 + name.count
        } else {
            name.append(0)
            length = 2 + name.count
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw SocketError(description: "bind \(notifySocket): errno \(errno)")
        }
    }

    /// The next datagram, or nil when none arrives within `milliseconds`.
    ///
    /// Polls without blocking and sleeps in between: a blocking wait would hold one of the few
    /// threads of the concurrency pool, which the task that should send may need.
    public func receive(within milliseconds: Int = 5_000) async -> String? {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            guard errno == EAGAIN || errno == EINTR, ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    deinit {
        close(descriptor)
        if !notifySocket.hasPrefix("@") { unlink(notifySocket) }
    }
}

/// A name in the abstract namespace that no other test run uses.
public func uniqueAbstractName() -> String {
    "@streetgate-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}
