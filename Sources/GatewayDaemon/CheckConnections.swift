import Foundation
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

/// Whether a TCP connection to `host:port` opens, without blocking a thread of the caller's pool:
/// the probe waits on a thread of its own.
enum TCPReachability {
    /// Why no address of `host` accepted a connection within `timeout`; nil when one did.
    static func failure(host: String, port: Int, timeout: Duration) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: TCPProbe.failure(host: host, port: port, timeout: timeout)?.description)
            }
        }
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
