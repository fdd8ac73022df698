import Glibc
import GatewayCore
import MQTTClient

/// Reads secrets (passwords) from files: systemd credentials or files only root can read.
public protocol SecretReader: Sendable {
    func read(_ path: String) throws -> String
}

public struct FileSecretReader: SecretReader {
    public init() {}

    public func read(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else {
            throw GatewaySetupError(key: "password_file", message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > 65536 { break }
        }
        // A trailing newline is how editors save files, not part of the password.
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

extension SecretReader {
    /// The password in `file`, if one is configured; an unreadable file names its owner's key.
    func password(file: String?, owner: String) throws -> String? {
        guard let file else { return nil }
        do {
            return try read(file)
        } catch let error as GatewaySetupError {
            throw GatewaySetupError(key: "\(owner): password_file", message: error.message)
        }
    }
}

/// A configuration that parsed but cannot be put to work (an unreadable password file).
public struct GatewaySetupError: Error, CustomStringConvertible {
    public var key: String
    public var message: String
    public var description: String { "\(key): \(message)" }
}

extension MQTTClientOptions {
    init(source: SourceConfig, gatewayID: String, secrets: any SecretReader) throws {
        let password = try secrets.password(file: source.passwordFile, owner: "source \(source.name)")
        let tls: TLS? = source.url.scheme == .mqtts
            ? TLS(caFile: source.caFile, certFile: source.certFile, keyFile: source.keyFile)
            : nil
        self.init(
            host: source.url.host,
            port: source.url.port,
            // Stable across restarts, so the broker keeps our persistent session and its backlog.
            clientID: source.clientID ?? "streetgate-\(gatewayID)-\(source.name)",
            cleanSession: false,
            keepalive: source.keepalive,
            username: source.username,
            password: password,
            tls: tls,
            subscriptions: source.topics.map(\.pattern),
            subscriptionQoS: source.qos,
            protocolVersion: source.mqttVersion == .v5 ? .v5 : .v311,
            maxHold: source.commitInterval
        )
    }
}

extension PayloadDecoder {
    init(source: SourceConfig) {
        self.init(settings: Settings(
            format: source.format,
            template: source.template,
            sensor: source.sensor,
            metric: source.metric,
            valuePath: source.valuePath.text,
            timePath: source.timePath?.text,
            maxPayloadBytes: source.maxPayload
        ))
    }
}
