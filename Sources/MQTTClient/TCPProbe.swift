import CMosquitto
import Glibc

/// Whether a TCP connection to `host:port` can be opened, within a time limit.
///
/// libmosquitto sends CONNECT properties only from its blocking connect, and a blocking connect to
/// a host that does not answer waits for the kernel's SYN retries (about two minutes), with the
/// loop thread stuck and the watchdog unfed. Probing first with a non-blocking connect bounds that
/// wait and keeps answering `shouldGiveUp` (a stop) and `onWait` (the heartbeat) while it waits.
/// `streetgate check --online` probes with it too.
public enum TCPProbe {
    /// Why no address of the host accepted a connection.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case unresolved(host: String, reason: String)
        /// The last address's errno: ECONNREFUSED, ETIMEDOUT when the time ran out, …
        case unreachable(errno: Int32)

        public var description: String {
            switch self {
            case .unresolved(let host, let reason): "\(host) does not resolve: \(reason)"
            case .unreachable(let code): String(cString: strerror(code))
            }
        }
    }

    /// - Returns: nil when a connection was made (and closed again), else why not.
    public static func failure(
        host: String, port: Int, timeout: Duration,
        shouldGiveUp: () -> Bool = { false }, onWait: () -> Void = {}
    ) -> Failure? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &found)
        guard resolved == 0, let first = found else {
            return .unresolved(host: host, reason: String(cString: gai_strerror(resolved)))
        }
        defer { freeaddrinfo(first) }
        let deadline = ContinuousClock.now + timeout
        var lastErrno: Int32 = ECONNREFUSED
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let current = address {
            address = current.pointee.ai_next
            switch attempt(current.pointee, until: deadline, shouldGiveUp: shouldGiveUp, onWait: onWait) {
            case 0: return nil
            case let code: lastErrno = code
            }
        }
        return .unreachable(errno: lastErrno)
    }

    /// 0 when connected, else the errno (ETIMEDOUT when the time ran out).
    private static func attempt(_ address: addrinfo, until deadline: ContinuousClock.Instant, shouldGiveUp: () -> Bool, onWait: () -> Void) -> Int32 {
        let socket = Glibc.socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
        guard socket >= 0 else { return errno }
        defer { close(socket) }
        if Glibc.connect(socket, address.ai_addr, address.ai_addrlen) == 0 { return 0 }
        guard errno == EINPROGRESS else { return errno }
        while ContinuousClock.now < deadline {
            if shouldGiveUp() { return ECANCELED }
            onWait()
            var fd = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&fd, 1, 200)
            if ready < 0, errno != EINTR { return errno }
            guard ready > 0 else { continue }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
            return code
        }
        return ETIMEDOUT
    }
}
