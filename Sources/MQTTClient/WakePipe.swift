import Glibc

/// A non-blocking pipe that interrupts the loop thread's `poll`: written by `stop()` and `publish`,
/// drained by the loop. libmosquitto has its own socket pair for this, but only its `select` loop reads it.
final class WakePipe: Sendable {
    let readFD: Int32
    let writeFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        let rc = pipe(&fds)
        precondition(rc == 0, "pipe failed: \(String(cString: strerror(errno)))")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    func wake() {
        var byte: UInt8 = 1
        // A full pipe already means "wake up": EAGAIN is fine.
        _ = write(writeFD, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }

    /// Sleeps until `timeout` passes or `wake()` is called; returns true when woken.
    @discardableResult
    func sleep(for timeout: Duration) -> Bool {
        var fd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let rc = poll(&fd, 1, max(ms, 0))
        if rc > 0 {
            drain()
            return true
        }
        return false
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}
