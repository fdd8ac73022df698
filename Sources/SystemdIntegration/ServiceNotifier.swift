import Glibc

/// Tells systemd how the service is doing: the `sd_notify(3)` protocol, written in Swift.
///
/// # SystemdIntegration
///
/// systemd's side of the StreetGate process, with no dependency but Glibc and swift-log:
///
/// - ``ServiceNotifier`` sends `READY=1`, `RELOADING=1`, `STOPPING=1`, `WATCHDOG=1` and `STATUS=`
///   datagrams to `$NOTIFY_SOCKET`, the socket systemd opens for a `Type=notify` unit.
/// - ``WatchdogSettings`` reads `$WATCHDOG_USEC`/`$WATCHDOG_PID`: whether systemd expects pings and
///   how often.
/// - ``ProgressWatchdog`` sends those pings only while every ``Heartbeat`` of the pipeline moves, so
///   a wedged ingest loop gets the service restarted instead of being kept alive by a timer.
/// - ``JournalLogHandler`` writes log lines that journald files under the right priority when
///   stderr is the journal, and timestamped lines anywhere else.
///
/// ## The notify protocol
///
/// A notification is one `AF_UNIX`/`SOCK_DGRAM` datagram of newline-separated `KEY=value`
/// assignments sent to the path in `$NOTIFY_SOCKET`. A path that starts with `@` names a socket in
/// Linux's abstract namespace: the `@` becomes a NUL byte and the address ends with the last
/// character of the name, without a terminating NUL. With `NotifyAccess=main` systemd only accepts
/// datagrams from the main process, which is the daemon itself.
///
/// Without `$NOTIFY_SOCKET` (started by hand, in tests, under another supervisor) every call does
/// nothing, so the daemon calls `notify` unconditionally. The variable is left in the
/// environment: `sd_notify`'s option to unset it exists for forking children, and there are none.
///
/// ```swift
/// let notifier = ServiceNotifier()
/// do {
///     try notifier.notify(.ready, .status("4 sources subscribed"))
/// } catch {
///     logger.warning("cannot notify systemd", metadata: ["error": "\(error)"])
/// }
/// ```
///
/// The notifier holds no socket: each call opens one (close-on-exec), sends, and closes it, as
/// `sd_notify` does. So the value is immutable and safe to share between threads, and a re-executed
/// systemd between two calls cannot leave it holding a dead descriptor.
public struct ServiceNotifier: Sendable {
    /// `$NOTIFY_SOCKET` as given; nil when systemd does not listen.
    public let socketPath: String?

    /// Reads `NOTIFY_SOCKET` from `environment`; an unset or empty value makes a notifier that does
    /// nothing.
    public init(environment: [String: String] = ProcessEnvironment.variables) {
        let path = environment["NOTIFY_SOCKET"] ?? ""
        socketPath = path.isEmpty ? nil : path
    }

    /// Whether notifications go anywhere.
    public var isEnabled: Bool { socketPath != nil }

    /// Sends `states` in one datagram; does nothing when systemd does not listen.
    public func notify(_ states: NotifyState...) throws(NotifyError) {
        try notify(states)
    }

    /// Sends `states` in one datagram; does nothing when systemd does not listen or `states` is empty.
    public func notify(_ states: [NotifyState]) throws(NotifyError) {
        guard let socketPath, !states.isEmpty else { return }
        let message = states.flatMap { $0.assignments(monotonicMicroseconds: MonotonicTime.microseconds) }
            .joined(separator: "\n")
        try UnixDatagram.send(Array(message.utf8), to: socketPath)
    }
}
