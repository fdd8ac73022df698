import Glibc

/// A dedicated POSIX thread for one connection's loop: blocking calls (poll, SQLite commits) stay off
/// the Swift concurrency pool.
final class LoopThread: Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let thread: pthread_t

    init(_ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(Body(run)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, body)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        self.thread = thread
    }

    /// Waits for the thread to end. Call once.
    func join() {
        pthread_join(thread, nil)
    }
}
