/// The login and TLS keys that `[[source]]` and `[[hub]]` share, read and checked once for both.
struct BrokerAccess {
    var username: String?
    var passwordFile: String?
    var caFile: String?
    var certFile: String?
    var keyFile: String?

    /// Reads the five keys and checks that they fit together and fit `url` (nil when the url was
    /// bad, which skips that check).
    static func read(_ table: inout TableReader, url: BrokerURL?) -> BrokerAccess {
        let path = ValueSpec.nonEmpty("a file path")
        var access = BrokerAccess()
        table.read("username", .nonEmpty("a user name"), into: &access.username)
        table.read("password_file", path, into: &access.passwordFile)
        table.read("ca_file", path, into: &access.caFile)
        table.read("cert_file", path, into: &access.certFile)
        table.read("key_file", path, into: &access.keyFile)

        // MQTT sends a password only together with a user name.
        if access.passwordFile != nil, !table.has("username") {
            table.reportMissing("username", expected: "a user name alongside password_file")
        }
        // A client certificate is useless without its key, and the key without the certificate.
        if access.certFile != nil, !table.has("key_file") {
            table.reportMissing("key_file", expected: "the client key's file path alongside cert_file")
        }
        if access.keyFile != nil, !table.has("cert_file") {
            table.reportMissing("cert_file", expected: "the client certificate's file path alongside key_file")
        }
        // Over plain mqtt:// the files would be ignored: say so rather than connect without TLS.
        if url?.scheme == .mqtt {
            for (key, file) in [("ca_file", access.caFile), ("cert_file", access.certFile), ("key_file", access.keyFile)] {
                if let file {
                    table.reject(key, got: tomlQuoted(file), expected: "no TLS file with an mqtt:// url (use mqtts://)")
                }
            }
        }
        return access
    }
}
