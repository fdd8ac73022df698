import GatewayCore
import Glibc
import Logging
import MQTTClient
import Synchronization

/// What one attempt to reach a broker found, for `streetgate check --online`.
public struct BrokerProbe: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Connected, and every configured subscription was granted (a hub has none to ask for).
        case ready
        /// The broker answered the CONNECT with a refusal (bad credentials, not authorised, …).
        case refused(reason: String)
        /// Connected, but the broker refused a subscription.
        case subscriptionRefused(filter: String)
        /// No MQTT session came up: nothing listening, a name that does not resolve, a TLS failure.
        case unreachable(reason: String)
        /// Connected, then the connection went before the subscriptions were granted.
        case lost(reason: String)
        /// Nothing decisive within the time allowed.
        case timedOut
        /// Nothing was tried: the settings could not be put together (an unreadable password file).
        case notTried(reason: String)
    }

    public var outcome: Outcome
    /// Whether the connection was over TLS (`mqtts://`).
    public var tls: Bool
    /// The client id the attempt used.
    public var clientID: String
    /// The errors the client logged meanwhile: libmosquitto's own, and why a certificate did not verify.
    public var diagnostics: [String]

    /// The line that says why the broker's TLS certificate was not accepted, if one was logged.
    public var tlsDiagnosis: String? {
        diagnostics.last { $0.contains("did not verify") || $0.contains("host name verification") }
            ?? diagnostics.last { $0.contains("certificate") || $0.contains("SSL") || $0.contains("TLS") }
    }
}

/// Connects to the configured brokers the way the daemon does — same address, credentials and TLS
/// files — without touching the daemon's own sessions: a client id of its own
/// (`streetgate-check-<gateway>-<source>`, `streetgate-check-<gateway>-hub-<hub>`), a clean
/// session, no will, nothing published; then disconnects.
public enum ConnectionCheck {
    /// Connects to `source` and subscribes to its topics.
    public static func probe(
        source: SourceConfig, gatewayID: String, secrets: any SecretReader = FileSecretReader(),
        timeout: Duration = .seconds(5)
    ) async -> BrokerProbe {
        let clientID = "streetgate-check-\(gatewayID)-\(source.name)"
        let tls = source.url.scheme == .mqtts
        do {
            var options = try MQTTClientOptions(source: source, gatewayID: gatewayID, secrets: secrets)
            options.clientID = clientID
            return await probe(options, tls: tls, timeout: timeout)
        } catch {
            return BrokerProbe(outcome: .notTried(reason: "\(error)"), tls: tls, clientID: clientID, diagnostics: [])
        }
    }

    /// Connects to `hub`, publishing nothing.
    public static func probe(
        hub: HubConfig, gatewayID: String, secrets: any SecretReader = FileSecretReader(),
        timeout: Duration = .seconds(5)
    ) async -> BrokerProbe {
        let clientID = "streetgate-check-\(gatewayID)-hub-\(hub.name)"
        let tls = hub.url.scheme == .mqtts
        do {
            var options = try MQTTClientOptions(hub: hub, gatewayID: gatewayID, secrets: secrets)
            options.clientID = clientID
            return await probe(options, tls: tls, timeout: timeout)
        } catch {
            return BrokerProbe(outcome: .notTried(reason: "\(error)"), tls: tls, clientID: clientID, diagnostics: [])
        }
    }

    static func probe(_ daemonOptions: MQTTClientOptions, tls: Bool, timeout: Duration) async -> BrokerProbe {
        let deadline = ContinuousClock.now + timeout
        // TCP first: "connection refused" or a name that does not resolve says more than a TLS
        // handshake that fails on a closed socket.
        if let reason = await TCPReachability.failure(host: daemonOptions.host, port: daemonOptions.port, timeout: timeout) {
            return BrokerProbe(outcome: .unreachable(reason: reason), tls: tls, clientID: daemonOptions.clientID, diagnostics: [])
        }
        var options = daemonOptions
        options.cleanSession = true
        options.will = nil
        options.discardQueueOnDisconnect = true
        // One attempt: the first failure decides, so no retry should start meanwhile.
        options.backoff = Backoff(minimum: timeout * 2, maximum: timeout * 2, jitter: 0)
        let lines = LogLines()
        let connection = MQTTConnection(options: options, logger: Logger(label: "streetgate.check") { _ in
            CapturingLogHandler(lines: lines)
        })
        connection.start()
        let outcome = await withTaskGroup(of: BrokerProbe.Outcome?.self) { group in
            group.addTask {
                var connected = false
                for await event in connection.events {
                    switch event {
                    case .connected: connected = true
                    case .subscribed: return .ready
                    case .subscriptionRefused(let filter): return .subscriptionRefused(filter: filter)
                    case .refused(let reason): return .refused(reason: reason)
                    case .disconnected(let reason, _): return connected ? .lost(reason: reason) : .unreachable(reason: reason)
                    case .published: continue
                    case .stopped: return nil
                    }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return .timedOut
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .timedOut
        }
        connection.stop()
        return BrokerProbe(outcome: outcome, tls: tls, clientID: options.clientID, diagnostics: lines.all)
    }
}

/// Whether a TCP connection to `host:port` opens, without blocking a thread of the caller's pool.
enum TCPReachability {
    /// Why no address of `host` accepted a connection within `timeout`; nil when one did.
    static func failure(host: String, port: Int, timeout: Duration) async -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            return "\(host) does not resolve: \(String(cString: gai_strerror(resolved)))"
        }
        defer { freeaddrinfo(list) }
        let deadline = ContinuousClock.now + timeout
        var reason = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard fd >= 0 else {
                reason = "socket: \(String(cString: strerror(errno)))"
                continue
            }
            defer { close(fd) }
            if connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return nil }
            guard errno == EINPROGRESS else {
                reason = String(cString: strerror(errno))
                continue
            }
            // Poll without waiting, and sleep between polls, so the caller's thread stays free.
            var outcome: Int32?
            while outcome == nil {
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&descriptor, 1, 0) > 0 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    outcome = error
                } else if ContinuousClock.now >= deadline {
                    outcome = ETIMEDOUT
                } else {
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            if outcome == 0 { return nil }
            reason = String(cString: strerror(outcome ?? ETIMEDOUT))
        }
        return reason
    }
}

/// The lines a probe's client logged, kept in memory.
private final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] {
        lines.withLock { $0 }
    }
}

/// Keeps the errors a probe's client logs, so the report can say why it failed.
private struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .error
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.message.description)
    }
}
