/// One assignment of the `sd_notify(3)` protocol.
public enum NotifyState: Sendable, Hashable {
    /// `READY=1`: start-up finished; with `Type=notify`, dependent units start now.
    case ready
    /// `RELOADING=1`: the configuration is being reloaded. Send `.ready` when done. The datagram also
    /// carries `MONOTONIC_USEC=`, which `Type=notify-reload` (systemd 253 and later) requires and
    /// older versions ignore.
    case reloading
    /// `STOPPING=1`: shutdown began.
    case stopping
    /// `WATCHDOG=1`: the service is alive; see ``ProgressWatchdog`` for when that is true.
    case watchdog
    /// `STATUS=…`: a one-line status shown by `systemctl status`. Line breaks become spaces.
    case status(String)
    /// `MAINPID=…`: the main process, for a service whose main process is not the one systemd forked.
    case mainPID(Int32)

    /// The `KEY=value` lines of this state, without line breaks inside a value.
    func assignments(monotonicMicroseconds: @autoclosure () -> UInt64) -> [String] {
        switch self {
        case .ready: ["READY=1"]
        case .reloading: ["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds())"]
        case .stopping: ["STOPPING=1"]
        case .watchdog: ["WATCHDOG=1"]
        case .status(let text): ["STATUS=\(Self.oneLine(text))"]
        case .mainPID(let pid): ["MAINPID=\(pid)"]
        }
    }

    /// systemd reads the datagram as newline-separated assignments, so a line break inside a value
    /// would start a new (bogus) assignment.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
