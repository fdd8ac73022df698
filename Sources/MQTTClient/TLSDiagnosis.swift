import CMosquitto
import Glibc
import Logging

/// Why the broker's certificate did not verify, which libmosquitto's log leaves out.
///
/// When the TLS handshake fails, libmosquitto logs OpenSSL's error queue, and for every rejected
/// certificate (expired, from an unknown CA, …) that holds the same line:
/// `OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed`. The reason is the
/// verify result kept on the TLS session, which is still open while libmosquitto logs that line. So
/// the log callback reads it there and logs one line more, e.g.
/// `the broker's TLS certificate did not verify: certificate has expired`.
///
/// The two OpenSSL functions needed (`SSL_get_verify_result`, `X509_verify_cert_error_string`, both
/// stable API) are looked up in the libssl that libmosquitto has already loaded, so no module imports
/// OpenSSL's headers. Where they cannot be found, nothing more is logged.
enum TLSDiagnosis {
    /// Call from the log callback with each error line libmosquitto logs.
    static func explain(_ line: String, of mosq: OpaquePointer?, to logger: Logger) {
        guard line.contains("certificate verify failed"), let failure = verifyFailure(of: mosq) else { return }
        logger.error("the broker's TLS certificate did not verify: \(failure.reason)", metadata: [
            "mqtt.tls.verify_result": "\(failure.code)",
        ])
    }

    private typealias GetVerifyResult = @convention(c) (UnsafeMutableRawPointer?) -> Int
    private typealias VerifyErrorString = @convention(c) (Int) -> UnsafePointer<CChar>?

    /// OpenSSL's verify result for the session of `mosq`, unless it says nothing libmosquitto did not.
    private static func verifyFailure(of mosq: OpaquePointer?) -> (code: Int, reason: String)? {
        let loadedLibraries: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        guard let ssl = mosquitto_ssl_get(mosq),
              let getResult = dlsym(loadedLibraries, "SSL_get_verify_result"),
              let errorString = dlsym(loadedLibraries, "X509_verify_cert_error_string")
        else { return nil }
        let code = unsafeBitCast(getResult, to: GetVerifyResult.self)(ssl)
        // 0 is X509_V_OK. 1, X509_V_ERR_UNSPECIFIED, is what libmosquitto's own host name check leaves
        // behind, and that check logs its own line ("host name verification failed").
        guard code != 0, code != 1 else { return nil }
        let reason = unsafeBitCast(errorString, to: VerifyErrorString.self)(code).map { String(cString: $0) }
        return (code, reason ?? "verify error \(code)")
    }
}
