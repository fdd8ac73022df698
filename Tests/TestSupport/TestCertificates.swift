import Foundation

/// A throwaway PKI for TLS tests, made with the `openssl` command in a temporary directory that is
/// removed with the value.
///
/// - a test CA, and a server certificate it signed for `127.0.0.1` (IP SAN) and `localhost`;
/// - a client certificate signed by the same CA, for brokers that require one;
/// - a second, unrelated CA: a client that trusts only it must refuse the server;
/// - an expired server certificate (1–2 January 2020) signed by the test CA, for the server key.
///
/// Keys are EC P-256 and unencrypted; making the whole set takes a fraction of a second.
public struct TestCertificates: Sendable {
    public let directory: TemporaryDirectory
    /// The test CA's certificate (PEM): what a client trusts to reach the broker.
    public let caFile: String
    public let serverCert: String
    /// The key of both `serverCert` and `expiredServerCert`.
    public let serverKey: String
    public let clientCert: String
    public let clientKey: String
    /// A CA certificate that signed nothing used here.
    public let wrongCAFile: String
    /// Valid only from 2020-01-01 to 2020-01-02, otherwise like `serverCert`.
    public let expiredServerCert: String

    public static func make() throws -> TestCertificates {
        let directory = try TemporaryDirectory("streetgate-pki")
        let file = directory.file
        try configuration(in: directory).write(toFile: file("openssl.cnf"), atomically: true, encoding: .utf8)
        try "".write(toFile: file("index.txt"), atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: file("serial"), atomically: true, encoding: .utf8)
        let openssl = { (arguments: [String]) throws in
            try runTool("openssl", arguments, log: file("openssl.log"))
        }
        let config = ["-config", file("openssl.cnf")]
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]

        for (name, subject) in [("ca", "StreetGate Test CA"), ("wrong-ca", "Unrelated Test CA")] {
            try openssl(["req", "-x509"] + config + newKey + [
                "-extensions", "ca_ext", "-days", "3650", "-subj", "/CN=\(subject)",
                "-keyout", file("\(name).key"), "-out", file("\(name).crt"),
            ])
        }
        for (name, subject) in [("server", "127.0.0.1"), ("client", "streetgate-test-client")] {
            try openssl(["req", "-new"] + config + newKey + [
                "-subj", "/CN=\(subject)", "-keyout", file("\(name).key"), "-out", file("\(name).csr"),
            ])
            try openssl([
                "x509", "-req", "-in", file("\(name).csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
                "-CAserial", file("ca.srl"), "-CAcreateserial", "-days", "3650", "-sha256",
                "-extfile", file("openssl.cnf"), "-extensions", "\(name)_ext", "-out", file("\(name).crt"),
            ])
        }
        // `openssl x509 -req` cannot back-date a certificate on OpenSSL 3.0; `openssl ca` can.
        try openssl(["ca", "-batch", "-notext"] + config + [
            "-name", "test_ca", "-cert", file("ca.crt"), "-keyfile", file("ca.key"),
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extensions", "server_ext",
            "-in", file("server.csr"), "-out", file("expired-server.crt"),
        ])

        return TestCertificates(
            directory: directory,
            caFile: file("ca.crt"),
            serverCert: file("server.crt"),
            serverKey: file("server.key"),
            clientCert: file("client.crt"),
            clientKey: file("client.key"),
            wrongCAFile: file("wrong-ca.crt"),
            expiredServerCert: file("expired-server.crt")
        )
    }

    /// Our own configuration, so the system's `openssl.cnf` cannot add or change extensions.
    private static func configuration(in directory: TemporaryDirectory) -> String {
        """
        [ req ]
        distinguished_name = dn
        [ dn ]

        [ ca_ext ]
        basicConstraints = critical, CA:true
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [ server_ext ]
        basicConstraints = CA:false
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1, DNS:localhost
        [ client_ext ]
        basicConstraints = CA:false
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth

        [ test_ca ]
        database = \(directory.file("index.txt"))
        new_certs_dir = \(directory.path)
        serial = \(directory.file("serial"))
        default_md = sha256
        policy = any_name
        unique_subject = no
        [ any_name ]
        commonName = supplied

        """
    }
}

public struct ToolFailed: Error, CustomStringConvertible {
    public var command: [String]
    public var status: Int32
    public var output: String
    public var description: String { "\(command.joined(separator: " ")) exited with \(status): \(output.suffix(1000))" }
}

/// Runs a command-line tool found on `PATH` to its end; throws with the tail of `log` if it fails.
/// Its stdout and stderr are appended to `log` (or discarded).
public func runTool(_ name: String, _ arguments: [String], log: String? = nil) throws {
    let status = try ChildProcess(executable: "/usr/bin/env", arguments: [name] + arguments, outputPath: log).wait()
    guard status == 0 else {
        let output = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        throw ToolFailed(command: [name] + arguments, status: status, output: output)
    }
}
