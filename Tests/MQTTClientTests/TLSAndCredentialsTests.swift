// Contract checked here: the client reaches a broker over TLS only when the broker's certificate
// chains to the configured CA and is in date, and when it refuses one an error log line says why;
// it presents its client certificate to a broker that requires one; it sends the username and
// password from its options, and a refused login is retried with backoff, never subscribed.
import InMemoryLogging
import Logging
import MQTTClient
import Synchronization
import TestSupport
import Testing

/// A clean-session client subscribed to `city/#`, retrying quickly.
private func client(
    port: Int, id: String, tls: MQTTClientOptions.TLS? = nil, username: String? = nil, password: String? = nil,
    version: MQTTClientOptions.ProtocolVersion = .v311, logger: Logger = quietLogger(), inbox: Inbox = Inbox()
) -> MQTTConnection {
    MQTTConnection(
        options: MQTTClientOptions(
            host: "127.0.0.1", port: port, clientID: id, cleanSession: true, username: username, password: password,
            tls: tls, subscriptions: ["city/#"], backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(200)),
            protocolVersion: version
        ),
        logger: logger,
        onMessages: { try inbox.handle($0) }
    )
}

private final class EventLog: Sendable {
    let events = Mutex<[MQTTEvent]>([])
}

/// The events of `connection` up to its `attempts`-th reconnect delay: that many attempts failed.
private func eventsThroughFailedAttempts(_ connection: MQTTConnection, attempts: Int = 3) async throws -> [MQTTEvent] {
    let log = EventLog()
    try await firstElement(of: connection.events, within: .seconds(5), "\(attempts) failed attempts") { event in
        log.events.withLock { events in
            events.append(event)
            return events.count(where: \.isRetry) >= attempts
        }
    }
    return log.events.withLock { $0 }
}

private func errorLines(_ logs: InMemoryLogHandler) -> [String] {
    logs.entries.filter { $0.level == .error }.map { "\($0.message)" }
}

extension MQTTEvent {
    fileprivate var isRetry: Bool {
        if case .disconnected(_, .some) = self { true } else { false }
    }

    fileprivate var isConnected: Bool {
        if case .connected = self { true } else { false }
    }

    fileprivate var isRefusal: Bool {
        if case .refused = self { true } else { false }
    }
}

@Suite("TLS and credentials against a real mosquitto", .serialized)
struct TLSAndCredentialsTests {
    // Sources speak MQTT 5 (connected by libmosquitto's blocking connect), hubs 3.1.1.
    @Test("a broker whose certificate chains to the configured CA is reached over TLS", arguments: [MQTTClientOptions.ProtocolVersion.v311, .v5])
    func reachesTrustedBroker(version: MQTTClientOptions.ProtocolVersion) async throws {
        let certificates = try TestCertificates.make()
        let server = try await TLSBroker(certificates)
        let inbox = Inbox()
        let connection = client(port: server.tlsPort, id: "gw-tls", tls: .init(caFile: certificates.caFile), version: version, inbox: inbox)
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, within: .seconds(5), "subscribed over TLS") { $0 == .subscribed }

        try connection.publish(topic: "city/fes/water/m1/flow", payload: Array("over TLS".utf8))
        try await eventually(within: .seconds(5), "the message back over TLS") { inbox.payloads == ["over TLS"] }
    }

    @Test("a broker certificate from another CA is refused, and the log says the certificate did not verify", arguments: [MQTTClientOptions.ProtocolVersion.v311, .v5])
    func refusesUnknownCA(version: MQTTClientOptions.ProtocolVersion) async throws {
        let certificates = try TestCertificates.make()
        let server = try await TLSBroker(certificates)
        let logs = InMemoryLogHandler()
        let connection = client(
            port: server.tlsPort, id: "gw-wrong-ca", tls: .init(caFile: certificates.wrongCAFile), version: version,
            logger: Logger(label: "test") { _ in logs }
        )
        connection.start()
        defer { connection.stop() }

        let events = try await eventsThroughFailedAttempts(connection)
        #expect(!events.contains { $0.isConnected || $0 == .subscribed })
        let errors = errorLines(logs)
        #expect(errors.contains { $0.hasPrefix("libmosquitto: ") && $0.contains("certificate verify failed") }, "\(errors)")
        // mosquitto sends the test CA along with its certificate: a self-signed root this client does not trust.
        #expect(
            errors.contains("the broker's TLS certificate did not verify: self-signed certificate in certificate chain"),
            "\(errors)"
        )
    }

    @Test("an expired broker certificate is refused with a log line that says so")
    func refusesExpiredCertificate() async throws {
        let certificates = try TestCertificates.make()
        let server = try await TLSBroker(certificates, serverCert: certificates.expiredServerCert)
        let logs = InMemoryLogHandler()
        let connection = client(
            port: server.tlsPort, id: "gw-expired", tls: .init(caFile: certificates.caFile),
            logger: Logger(label: "test") { _ in logs }
        )
        connection.start()
        defer { connection.stop() }

        let events = try await eventsThroughFailedAttempts(connection)
        #expect(!events.contains { $0.isConnected || $0 == .subscribed })
        let errors = errorLines(logs)
        #expect(errors.contains("the broker's TLS certificate did not verify: certificate has expired"), "\(errors)")
    }

    @Test("a broker that requires a client certificate accepts ours and refuses a client without one")
    func clientCertificate() async throws {
        let certificates = try TestCertificates.make()
        let server = try await TLSBroker(certificates, requireClientCertificate: true)

        let withCertificate = client(
            port: server.tlsPort, id: "gw-client-cert",
            tls: .init(caFile: certificates.caFile, certFile: certificates.clientCert, keyFile: certificates.clientKey)
        )
        withCertificate.start()
        defer { withCertificate.stop() }
        try await firstElement(of: withCertificate.events, within: .seconds(5), "subscribed with a client certificate") {
            $0 == .subscribed
        }

        let logs = InMemoryLogHandler()
        let without = client(
            port: server.tlsPort, id: "gw-no-client-cert", tls: .init(caFile: certificates.caFile),
            logger: Logger(label: "test") { _ in logs }
        )
        without.start()
        defer { without.stop() }
        let events = try await eventsThroughFailedAttempts(without)
        #expect(!events.contains { $0.isConnected || $0 == .subscribed })
        // Under TLS 1.3 the broker refuses us with an alert after the handshake; OpenSSL names it.
        let errors = errorLines(logs)
        #expect(errors.contains { $0.hasPrefix("libmosquitto: ") && $0.contains("alert certificate required") }, "\(errors)")
    }

    @Test("username and password from the options are accepted by a broker with a password file")
    func acceptedCredentials() async throws {
        let directory = try TemporaryDirectory("streetgate-passwords")
        try runTool("mosquitto_passwd", ["-b", "-c", directory.file("passwords"), "gateway", "secret"])
        let broker = try MosquittoBroker(extraConfig: "password_file \(directory.file("passwords"))", allowAnonymous: false)

        let connection = client(port: broker.port, id: "gw-password", username: "gateway", password: "secret")
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, within: .seconds(5), "subscribed with a password") { $0 == .subscribed }
    }

    @Test("a wrong password is refused and retried with backoff, and never subscribes")
    func wrongPassword() async throws {
        let directory = try TemporaryDirectory("streetgate-passwords")
        try runTool("mosquitto_passwd", ["-b", "-c", directory.file("passwords"), "gateway", "secret"])
        let broker = try MosquittoBroker(extraConfig: "password_file \(directory.file("passwords"))", allowAnonymous: false)

        let connection = client(port: broker.port, id: "gw-wrong-password", username: "gateway", password: "not the secret")
        connection.start()
        defer { connection.stop() }
        let events = try await eventsThroughFailedAttempts(connection)
        #expect(events.count(where: \.isRefusal) == 3, "\(events)")
        #expect(!events.contains { $0.isConnected || $0 == .subscribed })
    }
}


@Suite("TLS to a port where nothing listens")
struct TLSNothingListeningTests {
    @Test("the attempt fails and is retried with backoff, not spun on")
    func failsAndBacksOff() async throws {
        let certificates = try TestCertificates.make()
        let port = try Ports.ephemeral()
        let connection = client(port: port, id: "gw-tls-nobody", tls: .init(caFile: certificates.caFile))
        connection.start()
        defer { connection.stop() }
        let failures = try await eventsThroughFailedAttempts(connection, attempts: 3)
        #expect(failures.filter { if case .disconnected = $0 { true } else { false } }.count >= 3)
    }
}
