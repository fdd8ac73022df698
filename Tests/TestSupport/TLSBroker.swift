/// A broker with, besides its plain listener, a TLS listener on a port of its own, using the test
/// certificates.
public struct TLSBroker: Sendable {
    public let broker: MosquittoBroker
    public let tlsPort: Int

    public init(_ certificates: TestCertificates, serverCert: String? = nil, requireClientCertificate: Bool = false) async throws {
        let plainPort = try Ports.ephemeral()
        var port = try Ports.ephemeral()
        while port == plainPort { port = try Ports.ephemeral() }
        // mosquitto 2.0 applies TLS options to the `listener` line they follow.
        var lines = [
            "listener \(port) 127.0.0.1",
            "cafile \(certificates.caFile)",
            "certfile \(serverCert ?? certificates.serverCert)",
            "keyfile \(certificates.serverKey)",
        ]
        if requireClientCertificate {
            lines += ["require_certificate true", "use_identity_as_username false"]
        }
        broker = try MosquittoBroker(extraConfig: lines.joined(separator: "\n"), port: plainPort)
        tlsPort = port
        // The broker is waited for on its plain port; its TLS listener opens right after.
        try await eventually(within: .seconds(5), "the TLS listener") { Ports.isListening(port) }
    }
}
