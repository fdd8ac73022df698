import CMosquitto
import Glibc

/// A libmosquitto return code with the library's own text (`mosquitto_strerror`).
///
/// Every C call goes through ``check(_:_:)`` so the code, and `errno` where the library says to read it,
/// are captured at once and become a typed error.
public struct MosquittoError: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    /// `errno` captured right after the call when the code is `MOSQ_ERR_ERRNO`, else 0.
    public var systemErrno: Int32
    /// What was being done, e.g. `connect 127.0.0.1:1883`.
    public var operation: String

    public init(rawValue: Int32) {
        self.init(rawValue, operation: "", systemErrno: 0)
    }

    public init(_ code: Int32, operation: String, systemErrno: Int32 = 0) {
        self.rawValue = code
        self.operation = operation
        self.systemErrno = code == MOSQ_ERR_ERRNO.rawValue ? systemErrno : 0
    }

    public var description: String {
        let text: String
        if rawValue == MOSQ_ERR_ERRNO.rawValue, systemErrno != 0 {
            text = String(cString: strerror(systemErrno))
        } else {
            text = String(cString: mosquitto_strerror(rawValue))
        }
        return operation.isEmpty ? text : "\(operation): \(text)"
    }

    /// Errors that no retry can fix without a change of configuration or of the broker.
    public var isConfigurationProblem: Bool {
        [MOSQ_ERR_AUTH, MOSQ_ERR_CONN_REFUSED, MOSQ_ERR_TLS, MOSQ_ERR_TLS_HANDSHAKE, MOSQ_ERR_INVAL, MOSQ_ERR_ACL_DENIED]
            .map(\.rawValue).contains(rawValue)
    }

    public static let connectionLost = MosquittoError(MOSQ_ERR_CONN_LOST.rawValue, operation: "")
    public static let noConnection = MosquittoError(MOSQ_ERR_NO_CONN.rawValue, operation: "")
    /// The connection was dropped on purpose, to connect afresh (`MQTTConnection.reconnect()`).
    public static let reconnectRequested = MosquittoError(MOSQ_ERR_CONN_LOST.rawValue, operation: "reconnect requested")

    public static func ~= (pattern: mosq_err_t, error: MosquittoError) -> Bool {
        pattern.rawValue == error.rawValue
    }
}

/// The single choke point for libmosquitto return codes.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MosquittoError) {
    if code != MOSQ_ERR_SUCCESS.rawValue {
        let savedErrno = errno
        throw MosquittoError(code, operation: operation(), systemErrno: savedErrno)
    }
}

/// `mosquitto_lib_init` once per process, before the first handle.
let libraryInitialised: Bool = {
    mosquitto_lib_init()
    // OpenSSL writes TLS records with write(2), not send(MSG_NOSIGNAL): a broker that vanishes
    // mid-connection would raise SIGPIPE, whose default action ends the process. The write's
    // EPIPE is what the loop wants to see.
    signal(SIGPIPE, SIG_IGN)
    return true
}()
