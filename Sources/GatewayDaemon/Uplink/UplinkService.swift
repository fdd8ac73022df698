import GatewayCore
import Logging
import MQTTClient
import ServiceLifecycle

/// Runs every hub link from start to graceful shutdown. With no `[[hub]]`, it only waits.
///
/// It stops after ingest (services stop in reverse order), so the last alerts and aggregates are
/// in the buffer; whatever is not yet acknowledged then goes on the next start.
struct UplinkService: Service {
    let links: [HubLink]
    let logger: Logger

    func run() async throws {
        for link in links {
            link.start()
        }
        try? await gracefulShutdown()
        for link in links {
            link.stop()
        }
    }
}

extension MQTTClientOptions {
    init(hub: HubConfig, gatewayID: String, secrets: any SecretReader) throws {
        let password = try secrets.password(file: hub.passwordFile, owner: "hub \(hub.name)")
        self.init(
            host: hub.url.host,
            port: hub.url.port,
            clientID: "streetgate-\(gatewayID)-hub-\(hub.name)",
            // The sender keeps its own outbox and resends from it on every connect.
            cleanSession: true,
            username: hub.username,
            password: password,
            tls: hub.url.scheme == .mqtts ? TLS(caFile: hub.caFile, certFile: hub.certFile, keyFile: hub.keyFile) : nil,
            // Room for the status and health messages beside the sender's own window.
            maxInflight: hub.maxInflight + 2,
            discardQueueOnDisconnect: true
        )
    }
}
